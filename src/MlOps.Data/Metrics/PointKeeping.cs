using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Metrics;

/// <summary>
/// One pass of the points table's upkeep (<see cref="MlOpsDbContext.KeepPointsAsync"/>): <paramref name="PartitionRows"/>
/// ids per partition where the database partitions; points stored before <paramref name="ExpiredBefore"/> removed,
/// none when it is null.
/// </summary>
public sealed record PointKeeping(long PartitionRows, DateTime Now, DateTime? ExpiredBefore)
{
    /// <summary>The highest id bound below which every point has expired (none: nothing has).</summary>
    public async Task<long?> ExpiredBelowAsync(MlOpsDbContext db, CancellationToken ct) =>
        ExpiredBefore is { } before
            ? await db.MetricPointMarks.Where(m => m.SealedAt < before).MaxAsync(m => (long?)m.UpperId, ct)
            : null;
}
