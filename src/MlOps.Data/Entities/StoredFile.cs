namespace MlOps.Data.Entities;

/// <summary>A path-addressed file (ClearML files server, Comet assets) pointing at a blob.</summary>
public sealed class StoredFile : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public required string Path { get; set; }
    public required string BlobSha256 { get; set; }
    public long Size { get; set; }
    public string? ContentType { get; set; }
    public DateTime CreatedAt { get; set; }
}
