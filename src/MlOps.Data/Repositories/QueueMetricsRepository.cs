using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>One point of a queue chart: the bucket's start (ms), the queue's length and its entries' average wait (s).</summary>
public sealed record QueuePoint(long Date, int Length, double AverageWaitSeconds);

/// <summary>
/// How the caller's workspace's queues stood over time: a sample at each change of a queue (and periodically, by the
/// statistics upkeep), read back as ClearML charts them.
/// </summary>
public sealed class QueueMetricsRepository(MlOpsDbContext db, TimeProvider clock)
{
    /// <summary>Samples the queues now (all of the workspace's when none are named): their length and average wait.</summary>
    public async Task RecordAsync(IReadOnlyCollection<Guid>? queueIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var queues = db.Queues.AsNoTracking();
        if (queueIds is { Count: > 0 })
        {
            queues = queues.Where(q => queueIds.Contains(q.Id));
        }
        var ids = await queues.Select(q => q.Id).ToListAsync(ct);
        var entries = (await db.QueueEntries.AsNoTracking().Where(e => ids.Contains(e.QueueId)).Select(e => new { e.QueueId, e.AddedAt }).ToListAsync(ct))
            .ToLookup(e => e.QueueId, e => e.AddedAt);
        db.QueueMetrics.AddRange(ids.Select(id => new QueueMetric
        {
            QueueId = id,
            Timestamp = now.ToUnixTimeMilliseconds(),
            Length = entries[id].Count(),
            AverageWaitSeconds = entries[id].Select(added => (now.UtcDateTime - added).TotalSeconds).DefaultIfEmpty(0).Average(),
        }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Per queue, per bucket of <paramref name="width"/> ms that holds samples (from an hour before <paramref name="from"/>,
    /// as ClearML reaches back for sparse queues), the sample with the longest wait.
    /// </summary>
    public async Task<Dictionary<Guid, List<QueuePoint>>> PerQueueAsync(IReadOnlyCollection<Guid>? queueIds, long from, long to, long width, CancellationToken ct)
    {
        var since = from - 3_600_000;
        var rows = db.QueueMetrics.AsNoTracking().Where(m => m.Timestamp >= since && m.Timestamp <= to);
        if (queueIds is { Count: > 0 })
        {
            rows = rows.Where(m => queueIds.Contains(m.QueueId));
        }
        var samples = await rows.Select(m => new { m.QueueId, m.Timestamp, m.Length, m.AverageWaitSeconds }).ToListAsync(ct);
        return samples.GroupBy(s => s.QueueId).ToDictionary(q => q.Key, q => q
            .GroupBy(s => s.Timestamp / width)
            .OrderBy(b => b.Key)
            .Select(b =>
            {
                var top = b.OrderByDescending(s => s.AverageWaitSeconds).ThenByDescending(s => s.Length).First();
                return new QueuePoint(b.Key * width, top.Length, top.AverageWaitSeconds);
            })
            .ToList());
    }

    /// <summary>
    /// All queues as one: per bucket the lengths summed and the waits averaged weighted by length, a queue without a
    /// sample in a bucket counting as it last stood.
    /// </summary>
    public static List<QueuePoint> Combine(Dictionary<Guid, List<QueuePoint>> perQueue)
    {
        var dates = perQueue.Values.SelectMany(points => points.Select(p => p.Date)).Distinct().Order().ToList();
        var byDate = perQueue.ToDictionary(q => q.Key, q => q.Value.ToDictionary(p => p.Date));
        var last = new Dictionary<Guid, QueuePoint>();
        var combined = new List<QueuePoint>();
        foreach (var date in dates)
        {
            foreach (var (queue, points) in byDate)
            {
                if (points.TryGetValue(date, out var point))
                {
                    last[queue] = point;
                }
            }
            var length = last.Values.Sum(p => p.Length);
            var wait = length == 0 ? 0 : last.Values.Sum(p => p.AverageWaitSeconds * p.Length / length);
            combined.Add(new QueuePoint(date, length, wait));
        }
        return combined;
    }
}
