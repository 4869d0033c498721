namespace MlOps.Data.Entities;

/// <summary>
/// One status report of a serving container, kept for the endpoint's charts (requests, latency, machine load) for the
/// statistics retention period. Per-device readings are averaged (usage) or counted (devices) as ClearML does.
/// </summary>
public sealed class ServingSample : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string ContainerId { get; set; }
    public required string EndpointUrl { get; set; }
    /// <summary>Milliseconds since the epoch, so that time buckets are integer division on every database.</summary>
    public long Timestamp { get; set; }
    public long? Requests { get; set; }
    public double? RequestsPerMinute { get; set; }
    public long? UptimeSeconds { get; set; }
    public long? LatencyMs { get; set; }
    public double? CpuUsage { get; set; }
    public int? CpuCount { get; set; }
    public double? GpuUsage { get; set; }
    public int? GpuCount { get; set; }
    public double? MemoryUsed { get; set; }
    public double? MemoryFree { get; set; }
    public double? MemoryTotal { get; set; }
    public double? GpuMemoryUsed { get; set; }
    public double? GpuMemoryFree { get; set; }
    public double? GpuMemoryTotal { get; set; }
    public double? NetworkRx { get; set; }
    public double? NetworkTx { get; set; }
}
