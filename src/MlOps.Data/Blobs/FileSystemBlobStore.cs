namespace MlOps.Data.Blobs;

/// <summary>
/// Blobs on local disk under one directory. Writes stream through a temporary file, are flushed to disk, then renamed
/// into place, so a blob is either complete or absent.
/// </summary>
public sealed class FileSystemBlobStore(string root) : IBlobStore
{
    private const int BufferSize = 1 << 16;

    public string Description => $"file system ({root})";

    public Task PrepareAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(root);
        return Task.CompletedTask;
    }

    public Task<bool> IsReachableAsync(CancellationToken ct) => Task.FromResult(Directory.Exists(root));

    public async Task<BlobContent> WriteAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var temporary = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName, Guid.NewGuid().ToString("N"));
        try
        {
            using var intake = new BlobIntake(maxBytes);
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    intake.Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                file.Flush(flushToDisk: true);
            }
            var written = intake.Complete();
            var destination = PathOf(written.Sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            // Same content, same bytes: if another writer got there first, its copy is as good as ours.
            File.Move(temporary, destination, overwrite: true);
            return written;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(sha256)));

    private string PathOf(string sha256) => Path.Combine(root, BlobIntake.RelativeName(sha256, Path.DirectorySeparatorChar));
}
