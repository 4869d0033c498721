namespace MlOps.Data.Entities;

/// <summary>
/// Every point whose id is below <see cref="UpperId"/> was stored by <see cref="SealedAt"/>: what retention goes by. On
/// PostgreSQL one per partition, recorded when the id sequence passed the partition's upper bound; on SQLite one per
/// maintenance run that found new points, at most hourly. Spans every workspace, like the ids.
/// </summary>
public sealed class MetricPointMark
{
    public long UpperId { get; set; }
    public DateTime SealedAt { get; set; }
}
