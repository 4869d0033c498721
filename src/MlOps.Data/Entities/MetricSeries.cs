namespace MlOps.Data.Entities;

/// <summary>
/// One curve of an experiment (ClearML title/series, Comet metricName/context) with its running
/// summary, updated in the same transaction as the points so summaries never scan points.
/// </summary>
public sealed class MetricSeries : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ExperimentId { get; set; }
    public required string Metric { get; set; }
    public required string Variant { get; set; }
    public long Count { get; set; }
    public double LastValue { get; set; }
    public long LastStep { get; set; }
    public DateTime LastTimestamp { get; set; }
    public double MinValue { get; set; }
    public long MinStep { get; set; }
    /// <summary>When the minimum was reported (null for a series summarized before this was kept).</summary>
    public DateTime? MinTimestamp { get; set; }
    public double MaxValue { get; set; }
    public long MaxStep { get; set; }
    public DateTime? MaxTimestamp { get; set; }
}
