using System.ComponentModel.DataAnnotations;

namespace MlOps.Data.Blobs;

/// <summary>The <c>MlOps:Blobs:S3</c> section: an S3-compatible object store (AWS S3, Ceph RADOS Gateway, MinIO).</summary>
public sealed class S3BlobSettings
{
    public const int MinimumPartSize = 5 * 1024 * 1024;

    /// <summary>The endpoint of a self-hosted store (<c>http://ceph:7480</c>); unset means AWS S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket holding the blobs; created at start when missing.</summary>
    public string? Bucket { get; set; }

    /// <summary>With <see cref="SecretKey"/>; both unset means the SDK's default credentials (environment, instance role).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>The region requests are signed for; self-hosted stores take any, commonly <c>us-east-1</c>.</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Bucket in the path rather than the host name; unset means true with a <see cref="ServiceUrl"/>, false on AWS.</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>
    /// Bodies up to this size are stored with one PUT; larger ones go up in parts of this size (multipart upload), two parts
    /// in memory per upload at most: one being read from the client while the other is sent.
    /// </summary>
    [Range(MinimumPartSize, 1024 * 1024 * 1024)]
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;

    public bool UsesPathStyle => ForcePathStyle ?? !string.IsNullOrWhiteSpace(ServiceUrl);
}
