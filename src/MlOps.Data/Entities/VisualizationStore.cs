namespace MlOps.Data.Entities;

/// <summary>The saved state of one panel instance in a project (Comet's viz-instance store).</summary>
public sealed class VisualizationStore : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ProjectId { get; set; }
    public required string InstanceId { get; set; }
    public required string Store { get; set; }
    public DateTime LastUpdate { get; set; }
}
