using System.Security.Cryptography;

namespace MlOps.Data.Blobs;

public sealed class BlobTooLargeException(long limit) : Exception($"content exceeds the limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>The bytes of a written blob: its SHA-256 (hex) and size.</summary>
public sealed record BlobContent(string Sha256, long Size);

/// <summary>
/// Content-addressed bytes on local disk: each distinct content is stored once, at a path derived
/// from its SHA-256. Writes stream through a temporary file (hashing on the way, never buffering the
/// whole body), are flushed to disk, then renamed into place, so a blob is either complete or absent.
/// </summary>
public sealed class BlobStore(string root)
{
    private const int BufferSize = 1 << 16;

    public async Task<BlobContent> WriteAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var temporary = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName, Guid.NewGuid().ToString("N"));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new BlobTooLargeException(maxBytes);
                    }
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                file.Flush(flushToDisk: true);
            }
            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            var destination = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            // Same content, same bytes: if another writer got there first, its copy is as good as ours.
            File.Move(temporary, destination, overwrite: true);
            return new BlobContent(sha256, size);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);

    private string PathOf(string sha256) => Path.Combine(root, sha256[..2], sha256[2..4], sha256);
}
