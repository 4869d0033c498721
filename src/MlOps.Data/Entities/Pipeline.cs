namespace MlOps.Data.Entities;

/// <summary>A pipeline definition (ZenML pipelines); its runs are experiments.</summary>
public sealed class Pipeline : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Guid ProjectId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? Version { get; set; }
    /// <summary>The pipeline's step graph as the client describes it (JSON object).</summary>
    public string? Spec { get; set; }
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
