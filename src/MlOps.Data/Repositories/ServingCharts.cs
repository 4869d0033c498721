using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>The figures an endpoint's charts can show.</summary>
public enum ServingMetric
{
    Requests,
    RequestsMin,
    LatencyMs,
    CpuCount,
    GpuCount,
    CpuUtil,
    GpuUtil,
    RamTotal,
    RamUsed,
    RamFree,
    GpuRamTotal,
    GpuRamUsed,
    GpuRamFree,
    NetworkRx,
    NetworkTx,
}

/// <summary>One chart: the bucket starts (milliseconds since the epoch), the endpoint's total, and each instance's line.</summary>
public sealed record ServingChart(int Interval, List<long> Dates, List<double> Total, SortedDictionary<string, List<double>> Instances);

/// <summary>
/// An endpoint's samples cut into buckets of equal length, as ClearML charts them: per instance the mean of the bucket
/// (the maximum for the request count, a running total), then the instances summed (counts, loads, memory) or averaged
/// (latency, utilisation). Buckets without samples count 0, except that the request chart leaves them out; the last
/// bucket is dropped while it is still filling.
/// </summary>
public static class ServingCharts
{
    /// <summary>The shortest bucket ClearML charts (its <c>min_chart_interval_sec</c>).</summary>
    public const int MinIntervalSeconds = 40;

    private static readonly HashSet<ServingMetric> Averaged = [ServingMetric.LatencyMs, ServingMetric.CpuUtil, ServingMetric.GpuUtil];

    public static ServingChart Build(IReadOnlyList<ServingSample> samples, ServingMetric metric, long fromMs, long toMs, int intervalSeconds, bool instanceCharts)
    {
        var interval = Math.Max(intervalSeconds, MinIntervalSeconds);
        var width = interval * 1000L;
        var readings = samples.Select(s => (s.ContainerId, Bucket: Floor(s.Timestamp, width), Value: Value(s, metric)))
            .Where(r => r.Value is not null).ToList();
        var instances = readings.Select(r => r.ContainerId).Distinct().Order(StringComparer.Ordinal).ToList();
        if (instances.Count == 0)
        {
            return new ServingChart(interval, [], [], []);
        }
        var perBucket = readings.GroupBy(r => (r.Bucket, r.ContainerId)).ToDictionary(
            g => g.Key,
            g => metric == ServingMetric.Requests ? g.Max(r => r.Value!.Value) : g.Average(r => r.Value!.Value));
        var buckets = metric == ServingMetric.Requests
            ? perBucket.Keys.Select(k => k.Bucket).Distinct().Order().ToList()
            : Range(Floor(fromMs, width), toMs, width);
        var lastComplete = toMs - (long)(0.9 * width);
        buckets = [.. buckets.Where(b => b <= lastComplete)];
        var total = new List<double>();
        var lines = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var bucket in buckets)
        {
            var values = instances.Where(i => perBucket.ContainsKey((bucket, i))).Select(i => perBucket[(bucket, i)]).ToList();
            total.Add(Round(values.Count == 0 ? 0 : Averaged.Contains(metric) ? values.Average() : values.Sum(), metric));
            if (instanceCharts)
            {
                foreach (var instance in instances)
                {
                    (lines.TryGetValue(instance, out var line) ? line : lines[instance] = [])
                        .Add(Round(perBucket.GetValueOrDefault((bucket, instance)), metric));
                }
            }
        }
        return new ServingChart(interval, buckets, total, lines);
    }

    private static double? Value(ServingSample s, ServingMetric metric) => metric switch
    {
        ServingMetric.Requests => s.Requests,
        ServingMetric.RequestsMin => s.RequestsPerMinute,
        ServingMetric.LatencyMs => s.LatencyMs,
        ServingMetric.CpuCount => s.CpuCount,
        ServingMetric.GpuCount => s.GpuCount,
        ServingMetric.CpuUtil => s.CpuUsage,
        ServingMetric.GpuUtil => s.GpuUsage,
        ServingMetric.RamTotal => s.MemoryTotal,
        ServingMetric.RamUsed => s.MemoryUsed,
        ServingMetric.RamFree => s.MemoryFree,
        ServingMetric.GpuRamTotal => s.GpuMemoryTotal,
        ServingMetric.GpuRamUsed => s.GpuMemoryUsed,
        ServingMetric.GpuRamFree => s.GpuMemoryFree,
        ServingMetric.NetworkRx => s.NetworkRx,
        _ => s.NetworkTx,
    };

    /// <summary>Memory is reported in MB and charted in GB; every value is rounded to 2 decimals.</summary>
    private static double Round(double value, ServingMetric metric) =>
        Math.Round(metric is ServingMetric.RamTotal or ServingMetric.RamUsed or ServingMetric.RamFree
            or ServingMetric.GpuRamTotal or ServingMetric.GpuRamUsed or ServingMetric.GpuRamFree ? value / 1024 : value, 2);

    private static long Floor(long ms, long width) => ms - (((ms % width) + width) % width);

    private static List<long> Range(long first, long last, long width)
    {
        var buckets = new List<long>();
        for (var bucket = first; bucket <= last && buckets.Count < 100_000; bucket += width)
        {
            buckets.Add(bucket);
        }
        return buckets;
    }
}
