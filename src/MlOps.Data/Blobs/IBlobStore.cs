namespace MlOps.Data.Blobs;

public sealed class BlobTooLargeException(long limit) : Exception($"content exceeds the limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>The bytes of a written blob: its SHA-256 (hex) and size.</summary>
public sealed record BlobContent(string Sha256, long Size);

/// <summary>Where the bytes of files live: <see cref="FileSystemBlobStore"/> (the default) or <see cref="S3BlobStore"/>.</summary>
public enum BlobProvider
{
    FileSystem,
    S3,
}

/// <summary>
/// Content-addressed bytes: each distinct content is stored once, under a name derived from its SHA-256. Writes stream
/// (hashing on the way, never holding a whole body in memory) and a blob is either complete or absent.
/// </summary>
public interface IBlobStore
{
    /// <summary>A name for log lines: which store, and where.</summary>
    string Description { get; }

    /// <summary>Makes the store ready at start-up (the directory, the bucket).</summary>
    Task PrepareAsync(CancellationToken ct);

    /// <summary>Whether the store answers and holds its directory or bucket (the readiness probe).</summary>
    Task<bool> IsReachableAsync(CancellationToken ct);

    /// <summary>Stores the content; <see cref="BlobTooLargeException"/> past <paramref name="maxBytes"/>, leaving nothing behind.</summary>
    Task<BlobContent> WriteAsync(Stream content, long maxBytes, CancellationToken ct);

    /// <summary>A seekable stream over the blob's bytes, or null when the store does not hold it.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct);

    Task<bool> ExistsAsync(string sha256, CancellationToken ct);
}
