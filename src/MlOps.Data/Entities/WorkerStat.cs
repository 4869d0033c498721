namespace MlOps.Data.Entities;

/// <summary>
/// One reading a worker (clearml-agent) sent in a status report: a machine figure (CPU load of one core, free memory,
/// ...) at a time, with the experiment it ran then. Kept for the statistics retention period, for the Workers charts.
/// </summary>
public sealed class WorkerStat : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Worker { get; set; }
    /// <summary>Milliseconds since the epoch, so that time buckets are integer division on every database.</summary>
    public long Timestamp { get; set; }
    public Guid? ExperimentId { get; set; }
    /// <summary>The kind of hardware (cpu, gpu, memory, network, disk): the figure's name up to its first underscore.</summary>
    public required string Category { get; set; }
    public required string Metric { get; set; }
    /// <summary>The device (0, 1, ...) for per-device figures, <c>total</c> for machine-wide ones.</summary>
    public required string Variant { get; set; }
    public double Value { get; set; }
}
