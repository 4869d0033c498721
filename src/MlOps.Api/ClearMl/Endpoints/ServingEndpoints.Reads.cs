using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// The reads of what serving containers reported: endpoints with their summed figures, loading instances, one endpoint, charts.
public static partial class ServingEndpoints
{
    public sealed record EndpointStats(
        string Endpoint, string Model, string Url, int Instances, long? UptimeSec, long Requests, double? RequestsMin, long? LatencyMs, DateTime LastUpdate);

    public sealed record EndpointsResponse(List<EndpointStats> Endpoints);

    public sealed record LoadingInstance(
        string Id, string Endpoint, string? Url, string Model, string? ModelSource, string? ModelVersion, string? PreprocessArtifact,
        string? InputType, string? InputSize, long? UptimeSec, long AgeSec, DateTime LastUpdate);

    public sealed record LoadingInstancesResponse(List<LoadingInstance> Instances);

    public sealed record InstanceStats(
        string Id, long? UptimeSec, long? Requests, double? RequestsMin, long? LatencyMs, DateTime LastUpdate, int CpuCount, int GpuCount, JsonNode? Reference);

    public sealed record EndpointDetails(
        string Endpoint, string Model, string? Url, string? PreprocessArtifact, string? InputType, string? InputSize, string? ModelSource,
        string? ModelVersion, long? UptimeSec, DateTime LastUpdate, List<InstanceStats> Instances);

    public sealed record DetailsRequest(string? EndpointUrl);

    public sealed record HistoryRequest(string? EndpointUrl, double? FromDate, double? ToDate, int? Interval, string? MetricType, bool InstanceCharts = true);

    public sealed record Series(string Title, List<long> Dates, List<double> Values);

    public sealed record HistoryResponse(int ComputedInterval, Series Total, Dictionary<string, Series> Instances);

    private static readonly Dictionary<string, (ServingMetric Metric, string Title)> Charts = new()
    {
        ["requests"] = (ServingMetric.Requests, "Number of Requests"),
        ["requests_min"] = (ServingMetric.RequestsMin, "Requests per Minute"),
        ["latency_ms"] = (ServingMetric.LatencyMs, "Average Latency (ms)"),
        ["cpu_count"] = (ServingMetric.CpuCount, "CPU Count"),
        ["gpu_count"] = (ServingMetric.GpuCount, "GPU Count"),
        ["cpu_util"] = (ServingMetric.CpuUtil, "Average CPU Load (%)"),
        ["gpu_util"] = (ServingMetric.GpuUtil, "Average GPU Utilization (%)"),
        ["ram_total"] = (ServingMetric.RamTotal, "RAM Total (GB)"),
        ["ram_used"] = (ServingMetric.RamUsed, "RAM Used (GB)"),
        ["ram_free"] = (ServingMetric.RamFree, "RAM Free (GB)"),
        ["gpu_ram_total"] = (ServingMetric.GpuRamTotal, "GPU RAM Total (GB)"),
        ["gpu_ram_used"] = (ServingMetric.GpuRamUsed, "GPU RAM Used (GB)"),
        ["gpu_ram_free"] = (ServingMetric.GpuRamFree, "GPU RAM Free (GB)"),
        ["network_rx"] = (ServingMetric.NetworkRx, "Network Throughput RX (MBps)"),
        ["network_tx"] = (ServingMetric.NetworkTx, "Network Throughput TX (MBps)"),
    };

    /// <summary>The live containers grouped by endpoint URL (loading ones, without a URL yet, left out) with their figures combined.</summary>
    public static async Task<EndpointsResponse> GetEndpoints(ServingRepository serving, CancellationToken ct)
    {
        var live = await serving.LiveAsync(null, ct);
        return new EndpointsResponse([.. live.Where(c => c.EndpointUrl is not null).GroupBy(c => c.EndpointUrl!).Select(g =>
        {
            var first = g.First();
            var minutes = g.Where(c => c.RequestsPerMinute is not null).ToList();
            var latencies = g.Where(c => c.LatencyMs is not null).ToList();
            return new EndpointStats(first.EndpointName, first.ModelName, g.Key, g.Count(), g.Max(c => c.UptimeSeconds), g.Sum(c => c.Requests ?? 0),
                minutes.Count == 0 ? null : Math.Round(minutes.Average(c => c.RequestsPerMinute!.Value), 2),
                latencies.Count == 0 ? null : (long)Math.Round(latencies.Average(c => (double)c.LatencyMs!.Value)),
                g.Max(c => c.LastActivityAt));
        })]);
    }

    /// <summary>Live containers that have no endpoint URL yet: still loading their model.</summary>
    public static async Task<LoadingInstancesResponse> GetLoadingInstances(ServingRepository serving, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var live = await serving.LiveAsync(null, ct);
        return new LoadingInstancesResponse([.. live.Where(c => c.EndpointUrl is null).Select(c => new LoadingInstance(
            c.ContainerId, c.EndpointName, c.EndpointUrl, c.ModelName, c.ModelSource, c.ModelVersion, c.PreprocessArtifact, c.InputType, c.InputSize,
            c.UptimeSeconds, (long)(now - c.RegisteredAt).TotalSeconds, c.LastActivityAt))]);
    }

    /// <summary>The endpoint's model and each live instance's figures; no live instance is 400/1052.</summary>
    public static async Task<EndpointDetails> GetEndpointDetails(ClearMlCall call, ServingRepository serving, CancellationToken ct)
    {
        var url = call.Read<DetailsRequest>().EndpointUrl ?? throw ClearMlException.MissingField("endpoint_url");
        var live = await serving.LiveAsync(url, ct);
        if (live.Count == 0)
        {
            throw new ClearMlException(400, 1052, $"No container instances found for serice url: url={url}");
        }
        var first = live[0];
        return new EndpointDetails(first.EndpointName, first.ModelName, first.EndpointUrl, first.PreprocessArtifact, first.InputType, first.InputSize,
            first.ModelSource, first.ModelVersion, live.Max(c => c.UptimeSeconds), live.Max(c => c.LastActivityAt),
            [.. live.Select(c => new InstanceStats(c.ContainerId, c.UptimeSeconds, c.Requests, c.RequestsPerMinute, c.LatencyMs, c.LastActivityAt,
                c.CpuCount ?? 0, c.GpuCount ?? 0, c.Reference is null ? null : JsonNode.Parse(c.Reference)))]);
    }

    /// <summary>One figure of the endpoint over time, in buckets of <c>interval</c> seconds (at least 40), total and per instance.</summary>
    public static async Task<HistoryResponse> GetEndpointMetricsHistory(ClearMlCall call, ServingRepository serving, CancellationToken ct)
    {
        var request = call.Read<HistoryRequest>();
        var url = request.EndpointUrl ?? throw ClearMlException.MissingField("endpoint_url");
        var (from, to, interval) = StatisticsRange.Read(request.FromDate, request.ToDate, request.Interval, ServingCharts.MinIntervalSeconds);
        var (metric, title) = Charts.TryGetValue(request.MetricType ?? "requests", out var chart)
            ? chart
            : throw ClearMlException.Validation($"metric_type must be one of {string.Join(", ", Charts.Keys)}");
        var samples = await serving.SamplesAsync(url, from, to, ct);
        var built = ServingCharts.Build(samples, metric, from, to, interval, request.InstanceCharts);
        return new HistoryResponse(built.Interval, new Series(title, built.Dates, built.Total),
            built.Instances.ToDictionary(i => i.Key, i => new Series(i.Key, built.Dates, i.Value)));
    }
}
