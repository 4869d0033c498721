using System.Globalization;
using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>Comet metrics: points of the shared time-series table (the series ClearML shows as scalars).</summary>
public static class CometMetrics
{
    /// <summary>How comet_ml names system metrics (sys.cpu.percent.01, sys.gpu.0.used_memory, ...).</summary>
    public const string SystemMetricPrefix = "sys.";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/write/experiment/metric", Log).Documents<LogRequest>();
        api.MapPost("/write/experiment/metrics/batch", LogBatch).Documents<BatchRequest>();
        api.MapGet("/experiment/metrics/summary", Summary);
        api.MapGet("/experiment/metrics/get-metric", History);
        api.MapGet("/experiment/metrics/get-all", AllHistory);
        api.MapPost("/experiments/multi-metric-chart", MultiMetricChart).Documents<ChartRequest>();
        api.MapPost("/write/experiment/gpu-metrics", (HttpContext h, ExperimentRepository e, MetricsStore s, TimeProvider clock, CancellationToken ct) => LogSystem<GpuRequest>(h, e, s, clock, GpuPoints, ct));
        api.MapPost("/write/experiment/ram-metrics", (HttpContext h, ExperimentRepository e, MetricsStore s, TimeProvider clock, CancellationToken ct) => LogSystem<RamRequest>(h, e, s, clock, RamPoints, ct));
        api.MapPost("/write/experiment/cpu-metrics", (HttpContext h, ExperimentRepository e, MetricsStore s, TimeProvider clock, CancellationToken ct) => LogSystem<CpuRequest>(h, e, s, clock, CpuPoints, ct));
        api.MapPost("/write/experiment/load-metrics", (HttpContext h, ExperimentRepository e, MetricsStore s, TimeProvider clock, CancellationToken ct) => LogSystem<LoadRequest>(h, e, s, clock, LoadPoints, ct));
    }

    /// <summary>The fields every system-metrics request shares.</summary>
    public abstract record SystemRequest
    {
        public string? ExperimentKey { get; init; }
        public string? Context { get; init; }
        public long? Step { get; init; }
        public long? Epoch { get; init; }
        public long? Timestamp { get; init; }
    }

    public sealed record Gpu(int? GpuId, long? FreeMemory, long? UsedMemory, int? GpuUtilization, long? TotalMemory);

    public sealed record GpuRequest(List<Gpu>? Gpus) : SystemRequest;

    public sealed record RamRequest(long? TotalRam, long? UsedRam) : SystemRequest;

    public sealed record CpuRequest(List<double>? CpuPercentUtilization) : SystemRequest;

    public sealed record LoadRequest(double? LoadAverage) : SystemRequest;

    /// <summary>
    /// System metrics are ordinary series named as Comet names them (sys.gpu.0.used_memory, sys.ram.used,
    /// sys.cpu.percent.01, sys.load.avg), so every surface charts them like any other scalar.
    /// </summary>
    private static async Task<MessageResponse> LogSystem<T>(
        HttpContext http, ExperimentRepository experiments, MetricsStore store, TimeProvider clock, Func<T, IEnumerable<(string Name, double? Value)>> points, CancellationToken ct)
        where T : SystemRequest
    {
        var request = await CometApi.ReadAsync<T>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var values = points(request).ToList();
        if (values.Count == 0 || values.Any(v => v.Value is null))
        {
            throw CometException.BadRequest("every required metric value must be given");
        }
        await RequireExperimentAsync(experiments, id, ct);
        var timestamp = request.Timestamp is { } ms ? CometMapping.Time(ms) : clock.GetUtcNow().UtcDateTime;
        await store.AppendAsync([.. values.Select(v =>
        {
            var (metric, variant) = CometMapping.Series(v.Name, request.Context);
            return new PointInput(id, metric, variant, request.Step ?? 0, request.Epoch, timestamp, v.Value!.Value);
        })], [], ct, await IngestReceipts.OfAsync(http));
        return new MessageResponse("Saved");
    }

    /// <summary>Every GPU needs its id; without one (or without GPUs) the request is missing a value.</summary>
    private static IEnumerable<(string, double?)> GpuPoints(GpuRequest r) =>
        r.Gpus is { Count: > 0 } gpus && gpus.All(g => g.GpuId is not null)
            ? gpus.SelectMany(g => new (string, double?)[]
            {
                ($"sys.gpu.{g.GpuId}.free_memory", g.FreeMemory),
                ($"sys.gpu.{g.GpuId}.used_memory", g.UsedMemory),
                ($"sys.gpu.{g.GpuId}.gpu_utilization", g.GpuUtilization),
                ($"sys.gpu.{g.GpuId}.total_memory", g.TotalMemory),
            })
            : [("sys.gpu", null)];

    private static IEnumerable<(string, double?)> RamPoints(RamRequest r) => [("sys.ram.total", r.TotalRam), ("sys.ram.used", r.UsedRam)];

    private static IEnumerable<(string, double?)> CpuPoints(CpuRequest r) =>
        (r.CpuPercentUtilization ?? []).Select((percent, index) => ($"sys.cpu.percent.{index + 1:00}", (double?)percent));

    private static IEnumerable<(string, double?)> LoadPoints(LoadRequest r) => [("sys.load.avg", r.LoadAverage)];

    public sealed record LogRequest(string? ExperimentKey, string? MetricName, JsonElement MetricValue, string? Context, long? Step, long? Epoch, long? Timestamp);

    public sealed record BatchRequest(string? ExperimentKey, List<LogRequest>? Metrics);

    public sealed record MessageResponse(string Msg);

    public sealed record SummaryValue(
        string Name, string ValueMax, string ValueMin, string ValueCurrent,
        long? TimestampMax, long? TimestampMin, long TimestampCurrent,
        long StepMax, long StepMin, long StepCurrent,
        string? RunContextMax, string? RunContextMin, string? RunContextCurrent);

    public sealed record SummaryResponse(List<SummaryValue> Values);

    public sealed record HistoryValue(string MetricName, string MetricValue, string? RunContext, long Step, long? Epoch, long Timestamp);

    public sealed record HistoryResponse(List<HistoryValue> Metrics);

    /// <summary>
    /// One point, acknowledged once committed with its series summary. Concurrent single points share one
    /// transaction (group commit), so many clients logging at once do not queue behind one commit each.
    /// </summary>
    public static async Task<MessageResponse> Log(HttpContext http, PointBatcher batcher, TimeProvider clock, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<LogRequest>(http);
        var point = Point(request, CometApi.ExperimentKey(request.ExperimentKey), clock);
        await batcher.AppendAsync(http.Caller().Identity.WorkspaceId, point, ct, await IngestReceipts.OfAsync(http));
        return new MessageResponse("Saved");
    }

    /// <summary>
    /// Many points of one experiment in one request (not in the seeds; each item has the single endpoint's fields),
    /// written in one transaction: all or none, so a bad item is a 400 and nothing is stored.
    /// </summary>
    public static async Task<MessageResponse> LogBatch(HttpContext http, ExperimentRepository experiments, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<BatchRequest>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var points = (request.Metrics ?? throw CometException.MissingField("metrics")).Select(m => Point(m, id, clock)).ToList();
        if (points.Count == 0)
        {
            throw CometException.MissingField("metrics");
        }
        await RequireExperimentAsync(experiments, id, ct);
        await store.AppendAsync(points, [], ct, await IngestReceipts.OfAsync(http));
        return new MessageResponse("Saved");
    }

    public static PointInput Point(LogRequest request, Guid experimentId, TimeProvider clock)
    {
        var name = string.IsNullOrEmpty(request.MetricName) ? throw CometException.MissingField("metricName") : request.MetricName;
        var value = Number(request.MetricValue);
        var (metric, variant) = CometMapping.Series(name, request.Context);
        var timestamp = request.Timestamp is { } ms ? CometMapping.Time(ms) : clock.GetUtcNow().UtcDateTime;
        return new PointInput(experimentId, metric, variant, request.Step ?? 0, request.Epoch, timestamp, value);
    }

    /// <summary>Last, min and max of every series, straight from the running summaries (no point is read).</summary>
    public static async Task<SummaryResponse> Summary(string? experimentKey, ExperimentRepository experiments, MetricsStore store, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        await experiments.GetAsync(id, ct);
        var series = await store.SummariesAsync([id], ct);
        return new SummaryResponse([.. series.OrderBy(s => s.Metric).ThenBy(s => s.Variant).Select(s =>
        {
            var context = CometMapping.Context(s);
            return new SummaryValue(
                s.Metric, Text(s.MaxValue), Text(s.MinValue), Text(s.LastValue),
                Millis(s.MaxTimestamp), Millis(s.MinTimestamp), CometMapping.Millis(s.LastTimestamp),
                s.MaxStep, s.MinStep, s.LastStep,
                context, context, context);
        })]);
    }

    /// <summary>Every point of the metric (all its contexts), in step order.</summary>
    public static Task<HistoryResponse> History(
        string? experimentKey, string? metricName, ExperimentRepository experiments, MetricsReader reader, CancellationToken ct) =>
        HistoryAsync(experimentKey, [new MetricSelector(metricName ?? throw CometException.MissingField("metricName"), null)], experiments, reader, ct);

    /// <summary>Every point of every metric, as comet_ml's <c>APIExperiment.get_metrics()</c> reads them in one call.</summary>
    public static Task<HistoryResponse> AllHistory(string? experimentKey, ExperimentRepository experiments, MetricsReader reader, CancellationToken ct) =>
        HistoryAsync(experimentKey, null, experiments, reader, ct);

    private static async Task<HistoryResponse> HistoryAsync(
        string? experimentKey, List<MetricSelector>? selectors, ExperimentRepository experiments, MetricsReader reader, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        await experiments.GetAsync(id, ct);
        var series = await reader.SeriesAsync([id], selectors, ct);
        var byId = series.ToDictionary(s => s.Id);
        var points = new List<MetricPoint>();
        for (PointCursor? after = null; ;)
        {
            var page = await reader.PointPageAsync(series, after, false, 5000, ct);
            points.AddRange(page);
            if (page.Count < 5000)
            {
                break;
            }
            after = new PointCursor(page[^1].SeriesId, page[^1].Step, page[^1].Id);
        }
        return new HistoryResponse([.. points.OrderBy(p => p.Step).ThenBy(p => p.Id).Select(p => new HistoryValue(
            byId[p.SeriesId].Metric, Text(p.Value), CometMapping.Context(byId[p.SeriesId]), p.Step, p.Epoch is { } e ? (long)e : null, CometMapping.Millis(p.Timestamp)))]);
    }

    public sealed record ChartRequest(List<string>? TargetedExperiments, List<string>? Metrics, List<string>? Params, bool IndependentMetrics, bool FetchFull);

    public sealed record ChartMetric(string MetricName, string? Context, List<double> Values, List<long> Steps, List<long> Epochs, List<long> Timestamps, List<long> Durations);

    public sealed record ChartExperiment(string ExperimentKey, List<long> Steps, List<long> Epochs, List<ChartMetric> Metrics, Dictionary<string, string?> Params);

    public sealed record ChartResponse(List<ChartExperiment> Experiments, bool Empty);

    /// <summary>Chart points per chosen experiment and metric (downsampled in the database unless fetchFull) and the chosen parameters.</summary>
    public static async Task<ChartResponse> MultiMetricChart(HttpContext http, ExperimentRepository experiments, MetricsReader reader, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<ChartRequest>(http);
        var keys = (request.TargetedExperiments ?? throw CometException.MissingField("targetedExperiments")).Select(CometApi.ExperimentKey).ToList();
        var metrics = request.Metrics ?? [];
        var charts = new List<ChartExperiment>();
        foreach (var key in keys)
        {
            var experiment = await experiments.GetAsync(key, ct);
            var series = metrics.Count == 0 ? [] : await reader.SeriesAsync([key], [.. metrics.Select(m => new MetricSelector(m, null))], ct);
            var points = (series.Count == 0 ? [] : await reader.HistogramAsync([.. series.Select(s => s.Id)], request.FetchFull ? int.MaxValue : 1000, ct))
                .ToLookup(p => p.SeriesId);
            var chartMetrics = series.Select(s =>
            {
                var curve = points[s.Id].OrderBy(p => p.Step).ToList();
                var times = curve.Select(p => CometMapping.Millis(p.Timestamp)).ToList();
                return new ChartMetric(s.Metric, CometMapping.Context(s), [.. curve.Select(p => p.Value)], [.. curve.Select(p => p.Step)], [], times,
                    [.. times.Select((t, i) => i == 0 ? 0 : t - times[i - 1])]);
            }).ToList();
            var wanted = request.Params ?? [];
            var parameters = experiment.Parameters.Where(p => p.Kind == ParameterKind.Hyperparameter)
                .Select(p => (Name: CometMapping.ParameterName(p), p.Value))
                .Where(p => wanted.Contains(p.Name))
                .ToDictionary(p => p.Name, p => p.Value);
            charts.Add(new ChartExperiment(CometApi.Key(key), [.. chartMetrics.SelectMany(m => m.Steps).Distinct().Order()], [], chartMetrics, parameters));
        }
        return new ChartResponse(charts, charts.All(c => c.Metrics.All(m => m.Values.Count == 0)));
    }

    /// <summary>Checked before a point is queued, so an unknown key is a 404 rather than a failed batch.</summary>
    public static async Task RequireExperimentAsync(ExperimentRepository experiments, Guid id, CancellationToken ct)
    {
        if (!(await experiments.StatusesAsync([id], ct)).ContainsKey(id))
        {
            throw new CometException(404, "Experiment not found");
        }
    }

    /// <summary>Comet clients send metric values as JSON numbers or as numeric strings.</summary>
    private static double Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        JsonValueKind.Undefined or JsonValueKind.Null => throw CometException.MissingField("metricValue"),
        _ => throw CometException.BadRequest("metricValue must be a number"),
    };

    private static long? Millis(DateTime? time) => time is { } t ? CometMapping.Millis(t) : null;

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
