namespace MlOps.Data.Entities;

/// <summary>
/// A workspace's claim on content-addressed bytes. The bytes live once per hash in the blob store
/// (<see cref="Blobs.IBlobStore"/>); the row is what makes them visible to one workspace.
/// </summary>
public sealed class Blob : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    public DateTime CreatedAt { get; set; }
}
