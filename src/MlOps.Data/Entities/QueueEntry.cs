namespace MlOps.Data.Entities;

/// <summary>An experiment waiting in a queue; entries are served in ascending <see cref="Position"/>.</summary>
public sealed class QueueEntry : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid QueueId { get; set; }
    public Guid ExperimentId { get; set; }
    public long Position { get; set; }
    public DateTime AddedAt { get; set; }
}
