using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// The Workers charts: the metrics workers reported, their statistics per interval, and how many workers were active.
public static partial class WorkersEndpoints
{
    /// <summary>The shortest interval ClearML charts workers by (its <c>min_chart_interval_sec</c>).</summary>
    private const int MinChartSeconds = 40;

    private static readonly string[] Aggregations = ["avg", "min", "max"];

    public sealed record MetricCategory(string Name, List<string> MetricKeys);

    public sealed record MetricKeysResponse(List<MetricCategory> Categories);

    public sealed record StatItem(string? Key, string? Aggregation);

    public sealed record StatsRequest(List<string>? WorkerIds, double? FromDate, double? ToDate, int? Interval, List<StatItem>? Items, bool SplitByVariant);

    public sealed record AggregationStats(string Aggregation, List<double> Values);

    public sealed record MetricStats(string Metric, string? Variant, List<long> Dates, List<AggregationStats> Stats);

    public sealed record WorkerStats(string Worker, List<MetricStats> Metrics);

    public sealed record StatsResponse(List<WorkerStats> Workers);

    public sealed record RangeRequest(double? FromDate, double? ToDate, int? Interval);

    public sealed record ActivitySeries(List<long> Dates, List<int> Counts);

    public sealed record ActivityResponse(ActivitySeries Total, ActivitySeries Active);

    /// <summary>The metrics the workers (all, when none are named) reported, grouped by category (cpu, gpu, memory, ...).</summary>
    public static async Task<MetricKeysResponse> GetMetricKeys(ClearMlCall call, WorkerStatsRepository stats, CancellationToken ct)
    {
        var keys = await stats.MetricKeysAsync(call.Read<StatsRequest>().WorkerIds, ct);
        return new MetricKeysResponse([.. keys.GroupBy(k => k.Category).Select(g => new MetricCategory(g.Key, [.. g.Select(k => k.Metric)]))]);
    }

    /// <summary>
    /// Per worker and requested metric (per device with <c>split_by_variant</c>): every interval of the range (at least 40
    /// s; the one still filling left out), with the requested aggregations of the readings in it, 0 where there were none.
    /// Dates are milliseconds since the epoch, as ClearML's server answers and the web UI reads.
    /// </summary>
    public static async Task<StatsResponse> GetStats(ClearMlCall call, WorkerStatsRepository stats, CancellationToken ct)
    {
        var request = call.Read<StatsRequest>();
        var items = request.Items is { Count: > 0 } given ? given : throw ClearMlException.MissingField("items");
        if (items.Any(i => i.Key is null || (i.Aggregation is not null && !Aggregations.Contains(i.Aggregation))))
        {
            throw ClearMlException.Validation("each item needs a key and an aggregation among avg, min, max");
        }
        var (from, to, interval) = StatisticsRange.Read(request.FromDate, request.ToDate, request.Interval, MinChartSeconds);
        var width = interval * 1000L;
        var aggregations = items.GroupBy(i => i.Key!).ToDictionary(g => g.Key, g => g.Select(i => i.Aggregation ?? "avg").Distinct().ToList());
        var buckets = await stats.StatsAsync(request.WorkerIds, [.. aggregations.Keys], from, to, width, request.SplitByVariant, ct);
        var dates = Buckets(from, to, width);
        return new StatsResponse([.. buckets.GroupBy(b => b.Worker).OrderBy(g => g.Key, StringComparer.Ordinal).Select(worker => new WorkerStats(
            worker.Key,
            [.. worker.GroupBy(b => (b.Metric, b.Variant)).OrderBy(g => g.Key.Metric, StringComparer.Ordinal).ThenBy(g => g.Key.Variant, StringComparer.Ordinal)
                .Select(series =>
                {
                    var byDate = series.ToDictionary(b => b.Bucket);
                    return new MetricStats(series.Key.Metric, series.Key.Variant, dates, [.. aggregations[series.Key.Metric].Select(aggregation =>
                        new AggregationStats(aggregation, [.. dates.Select(d => byDate.TryGetValue(d, out var b) ? Pick(b, aggregation) : 0)]))]);
                })]))]);
    }

    /// <summary>Per interval of the range, how many workers reported (total) and how many of them ran a task (active).</summary>
    public static async Task<ActivityResponse> GetActivityReport(ClearMlCall call, WorkerStatsRepository stats, CancellationToken ct)
    {
        var request = call.Read<RangeRequest>();
        var (from, to, interval) = StatisticsRange.Read(request.FromDate, request.ToDate, request.Interval, MinChartSeconds);
        var width = interval * 1000L;
        var (total, active) = await stats.ActivityAsync(from, to, width, ct);
        var dates = Buckets(from, to, width);
        return new ActivityResponse(
            new ActivitySeries(dates, [.. dates.Select(d => total.GetValueOrDefault(d))]),
            new ActivitySeries(dates, [.. dates.Select(d => active.GetValueOrDefault(d))]));
    }

    private static double Pick(StatBucket bucket, string aggregation) => aggregation switch
    {
        "min" => bucket.Min,
        "max" => bucket.Max,
        _ => bucket.Average,
    };

    /// <summary>The starts of the intervals from the one holding <paramref name="from"/> to the last one complete by <paramref name="to"/>.</summary>
    private static List<long> Buckets(long from, long to, long width)
    {
        var dates = new List<long>();
        for (var date = from / width * width; date <= to - (long)(0.9 * width); date += width)
        {
            dates.Add(date);
        }
        return dates;
    }
}
