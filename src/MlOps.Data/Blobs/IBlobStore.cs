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

/// <summary>Counts and hashes what passes into a store, refusing it past the size limit.</summary>
internal sealed class BlobIntake(long maxBytes) : IDisposable
{
    private readonly System.Security.Cryptography.IncrementalHash _hash =
        System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

    public long Size { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Size += bytes.Length;
        if (Size > maxBytes)
        {
            throw new BlobTooLargeException(maxBytes);
        }
        _hash.AppendData(bytes);
    }

    public BlobContent Complete() => new(Convert.ToHexStringLower(_hash.GetHashAndReset()), Size);

    /// <summary>The relative name of a content: two levels of fan-out so no directory (or listing) holds millions.</summary>
    public static string RelativeName(string sha256, char separator) => $"{sha256[..2]}{separator}{sha256[2..4]}{separator}{sha256}";

    public void Dispose() => _hash.Dispose();
}
