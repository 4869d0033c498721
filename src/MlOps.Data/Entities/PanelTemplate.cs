namespace MlOps.Data.Entities;

/// <summary>A visualization panel uploaded to a workspace (Comet's template upload); its code is a stored file.</summary>
public sealed class PanelTemplate : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string FilePath { get; set; }
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
