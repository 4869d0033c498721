using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MlOps.Data.Blobs;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>Path-addressed files of a workspace (ClearML files server, Comet assets) over the blob store.</summary>
public sealed class FileRepository(MlOpsDbContext db, IBlobStore blobs, TimeProvider clock, ILogger<FileRepository> logger)
{
    /// <summary>Stores the content under the path, replacing what was there; returns the stored file once committed.</summary>
    public async Task<StoredFile> PutAsync(string path, Stream content, string? contentType, long maxBytes, CancellationToken ct)
    {
        var written = await blobs.WriteAsync(content, maxBytes, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var workspaceId = db.ScopeWorkspaceId ?? throw new InvalidOperationException("files need a workspace scope");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Upserts, so concurrent uploads of the same content or to the same path both succeed (last one wins the path).
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO blobs (workspace_id, sha256, size, created_at) VALUES ({workspaceId}, {written.Sha256}, {written.Size}, {now}) ON CONFLICT DO NOTHING",
            ct);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO files (workspace_id, path, blob_sha256, size, content_type, created_at)
            VALUES ({workspaceId}, {path}, {written.Sha256}, {written.Size}, {contentType}, {now})
            ON CONFLICT (workspace_id, path) DO UPDATE
            SET blob_sha256 = excluded.blob_sha256, size = excluded.size, content_type = excluded.content_type, created_at = excluded.created_at
            """,
            ct);
        await transaction.CommitAsync(ct);
        return new StoredFile { WorkspaceId = workspaceId, Path = path, BlobSha256 = written.Sha256, Size = written.Size, ContentType = contentType, CreatedAt = now };
    }

    public Task<StoredFile?> FindAsync(string path, CancellationToken ct) =>
        db.Files.AsNoTracking().SingleOrDefaultAsync(f => f.Path == path, ct);

    /// <summary>The file's bytes (a seekable stream); a blob the store lacks is a not-found, logged as the data loss it is.</summary>
    public async Task<Stream> OpenAsync(StoredFile file, CancellationToken ct) =>
        await blobs.OpenReadAsync(file.BlobSha256, ct) ?? throw Missing(file);

    /// <summary>Checks that the store holds the file's bytes (for a HEAD, which answers without reading them).</summary>
    public async Task RequireContentAsync(StoredFile file, CancellationToken ct)
    {
        if (!await blobs.ExistsAsync(file.BlobSha256, ct))
        {
            throw Missing(file);
        }
    }

    /// <summary>Removes the path; the bytes stay while any path of any workspace still refers to them.</summary>
    public async Task<bool> DeleteAsync(string path, CancellationToken ct) =>
        await db.Files.Where(f => f.Path == path).ExecuteDeleteAsync(ct) > 0;

    private DomainException Missing(StoredFile file)
    {
        logger.LogError(
            "Blob {Sha256} of file {Path} in workspace {WorkspaceId} is missing from the {BlobStore} blob store; answering not found",
            file.BlobSha256, file.Path, file.WorkspaceId, blobs.Description);
        return new DomainException(DomainError.NotFound, EntityKind.Blob, $"the stored bytes of {file.Path} are missing");
    }
}
