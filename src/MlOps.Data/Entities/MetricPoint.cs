namespace MlOps.Data.Entities;

/// <summary>A row of the time-series table; written in bulk by <see cref="Metrics.MetricsStore"/>, never through the change tracker.</summary>
public sealed class MetricPoint : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long SeriesId { get; set; }
    public long Step { get; set; }
    public double? Epoch { get; set; }
    public DateTime Timestamp { get; set; }
    public double Value { get; set; }
}
