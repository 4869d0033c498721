namespace MlOps.Data.Entities;

/// <summary>
/// How a queue stood at a time: how many experiments waited in it and how long, on average, they had waited. Taken at
/// each change of the queue and periodically, kept for the statistics retention period, for the Queues charts.
/// </summary>
public sealed class QueueMetric : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid QueueId { get; set; }
    /// <summary>Milliseconds since the epoch.</summary>
    public long Timestamp { get; set; }
    public int Length { get; set; }
    public double AverageWaitSeconds { get; set; }
}
