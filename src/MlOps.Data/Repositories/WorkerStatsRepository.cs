using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>One figure a worker reported: its metric, the device it is of (<c>total</c> for machine-wide ones), the value.</summary>
public sealed record WorkerReading(string Metric, string Variant, double Value);

/// <summary>One time bucket of one worker's metric (and device, when split): the mean, least and greatest value, and how many.</summary>
public sealed record StatBucket(string Worker, string Metric, string? Variant, long Bucket, double Average, double Min, double Max, int Count);

/// <summary>What one worker reported over a period: its devices per category, and the spread of each metric.</summary>
public sealed record WorkerSummary(
    string Worker, long LastReport, IReadOnlyDictionary<string, int> DevicesPerCategory,
    IReadOnlyDictionary<string, (double Min, double Max, double Average)> Metrics);

/// <summary>
/// The machine statistics workers send with their status reports (the caller's workspace's), kept as one row per figure
/// and read back per time bucket: buckets are <c>timestamp / width</c> in milliseconds, computed by the database.
/// </summary>
public sealed class WorkerStatsRepository(MlOpsDbContext db, TimeProvider clock)
{
    public async Task RecordAsync(string worker, Guid? experimentId, IReadOnlyList<WorkerReading> readings, CancellationToken ct)
    {
        if (readings.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        db.WorkerStats.AddRange(readings.Select(r => new WorkerStat
        {
            Worker = worker,
            Timestamp = now,
            ExperimentId = experimentId,
            Category = r.Metric.Split('_')[0],
            Metric = r.Metric,
            Variant = r.Variant,
            Value = r.Value,
        }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The categories and their metrics the workers (all, when none are named) reported.</summary>
    public async Task<List<(string Category, string Metric)>> MetricKeysAsync(IReadOnlyList<string>? workers, CancellationToken ct)
    {
        var rows = await OfWorkers(workers).Select(s => new { s.Category, s.Metric }).Distinct().ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Category, StringComparer.Ordinal).ThenBy(r => r.Metric, StringComparer.Ordinal).Select(r => (r.Category, r.Metric))];
    }

    /// <summary>Per worker, metric (and device, when <paramref name="byVariant"/>) and bucket of <paramref name="width"/> ms: mean, min, max.</summary>
    public async Task<List<StatBucket>> StatsAsync(
        IReadOnlyList<string>? workers, IReadOnlyList<string> metrics, long from, long to, long width, bool byVariant, CancellationToken ct)
    {
        var rows = OfWorkers(workers).Where(s => metrics.Contains(s.Metric) && s.Timestamp >= from && s.Timestamp <= to);
        if (byVariant)
        {
            var split = await rows.GroupBy(s => new { s.Worker, s.Metric, s.Variant, Bucket = s.Timestamp / width })
                .Select(g => new { g.Key.Worker, g.Key.Metric, g.Key.Variant, g.Key.Bucket, Average = g.Average(s => s.Value), Min = g.Min(s => s.Value), Max = g.Max(s => s.Value), Count = g.Count() })
                .ToListAsync(ct);
            return [.. split.Select(b => new StatBucket(b.Worker, b.Metric, b.Variant, b.Bucket * width, b.Average, b.Min, b.Max, b.Count))];
        }
        var whole = await rows.GroupBy(s => new { s.Worker, s.Metric, Bucket = s.Timestamp / width })
            .Select(g => new { g.Key.Worker, g.Key.Metric, g.Key.Bucket, Average = g.Average(s => s.Value), Min = g.Min(s => s.Value), Max = g.Max(s => s.Value), Count = g.Count() })
            .ToListAsync(ct);
        return [.. whole.Select(b => new StatBucket(b.Worker, b.Metric, null, b.Bucket * width, b.Average, b.Min, b.Max, b.Count))];
    }

    /// <summary>Per bucket of <paramref name="width"/> ms, how many workers reported, and how many of them ran an experiment.</summary>
    public async Task<(Dictionary<long, int> Total, Dictionary<long, int> Active)> ActivityAsync(long from, long to, long width, CancellationToken ct)
    {
        var rows = db.WorkerStats.AsNoTracking().Where(s => s.Timestamp >= from && s.Timestamp <= to);
        var total = await rows.GroupBy(s => s.Timestamp / width)
            .Select(g => new { Bucket = g.Key, Workers = g.Select(s => s.Worker).Distinct().Count() }).ToListAsync(ct);
        var active = await rows.Where(s => s.ExperimentId != null).GroupBy(s => s.Timestamp / width)
            .Select(g => new { Bucket = g.Key, Workers = g.Select(s => s.Worker).Distinct().Count() }).ToListAsync(ct);
        return (total.ToDictionary(b => b.Bucket * width, b => b.Workers), active.ToDictionary(b => b.Bucket * width, b => b.Workers));
    }

    /// <summary>Each worker that reported since <paramref name="since"/> (ms): when last, its devices, and its metrics' spread.</summary>
    public async Task<List<WorkerSummary>> SummariesAsync(long since, CancellationToken ct)
    {
        var rows = db.WorkerStats.AsNoTracking().Where(s => s.Timestamp >= since);
        var metrics = await rows.GroupBy(s => new { s.Worker, s.Metric })
            .Select(g => new { g.Key.Worker, g.Key.Metric, Min = g.Min(s => s.Value), Max = g.Max(s => s.Value), Average = g.Average(s => s.Value), Last = g.Max(s => s.Timestamp) })
            .ToListAsync(ct);
        var devices = await rows.Where(s => s.Variant != "total").GroupBy(s => new { s.Worker, s.Category })
            .Select(g => new { g.Key.Worker, g.Key.Category, Devices = g.Select(s => s.Variant).Distinct().Count() })
            .ToListAsync(ct);
        return [.. metrics.GroupBy(m => m.Worker).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new WorkerSummary(
            g.Key,
            g.Max(m => m.Last),
            devices.Where(d => d.Worker == g.Key).ToDictionary(d => d.Category, d => d.Devices),
            g.ToDictionary(m => m.Metric, m => (m.Min, m.Max, m.Average))))];
    }

    private IQueryable<WorkerStat> OfWorkers(IReadOnlyList<string>? workers) =>
        workers is { Count: > 0 } named ? db.WorkerStats.AsNoTracking().Where(s => named.Contains(s.Worker)) : db.WorkerStats.AsNoTracking();
}
