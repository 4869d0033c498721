namespace MlOps.Data.Entities;

/// <summary>
/// An agent process that pulls from queues and runs experiments (ClearML workers). Kept in the database
/// so every replica sees the same workers; a worker silent for longer than its timeout is gone.
/// </summary>
public sealed class Worker : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    /// <summary>The worker id the agent chose (usually host:gpu).</summary>
    public required string Name { get; set; }
    public Guid? UserId { get; set; }
    public List<Guid> QueueIds { get; set; } = [];
    public List<string> Tags { get; set; } = [];
    public Guid? ExperimentId { get; set; }
    public int TimeoutSeconds { get; set; }
    public DateTime RegisteredAt { get; set; }
    public DateTime LastActivityAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
