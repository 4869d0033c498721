namespace MlOps.Data.Entities;

/// <summary>An experiment also shown in a project other than its own (Comet symlinks).</summary>
public sealed class ExperimentLink : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ExperimentId { get; set; }
    public DateTime CreatedAt { get; set; }
}
