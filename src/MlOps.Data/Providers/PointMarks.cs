using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;

namespace MlOps.Data;

/// <summary>
/// Retention of <c>metric_points</c> on SQLite, which cannot partition: a mark of the ids stored so far is recorded at
/// most every <see cref="MarkEvery"/>, and the points below an expired mark are deleted a chunk at a time, so that a
/// writer waits for one chunk at most (ids never go back: the key is AUTOINCREMENT).
/// </summary>
internal static class PointMarks
{
    public static readonly TimeSpan MarkEvery = TimeSpan.FromHours(1);

    private const long ChunkIds = 20_000;

    public static async Task KeepAsync(MlOpsDbContext db, PointKeeping keeping, CancellationToken ct)
    {
        var points = db.MetricPoints.IgnoreQueryFilters();
        var stored = await points.MaxAsync(p => (long?)p.Id, ct) ?? 0;
        var latest = await db.MetricPointMarks.OrderByDescending(m => m.UpperId).FirstOrDefaultAsync(ct);
        if (stored >= (latest?.UpperId ?? 1) && (latest is null || latest.SealedAt <= keeping.Now - MarkEvery))
        {
            db.MetricPointMarks.Add(new MetricPointMark { UpperId = stored + 1, SealedAt = keeping.Now });
            await db.SaveChangesAsync(ct);
        }
        if (await keeping.ExpiredBelowAsync(db, ct) is not { } expiredBelow)
        {
            return;
        }
        for (var from = await points.MinAsync(p => (long?)p.Id, ct) ?? expiredBelow; from < expiredBelow; from += ChunkIds)
        {
            var to = Math.Min(from + ChunkIds, expiredBelow);
            await points.Where(p => p.Id >= from && p.Id < to).ExecuteDeleteAsync(ct);
        }
        await db.MetricPointMarks.Where(m => m.UpperId <= expiredBelow).ExecuteDeleteAsync(ct);
    }
}
