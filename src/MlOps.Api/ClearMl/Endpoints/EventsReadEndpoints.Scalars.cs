using System.Globalization;
using System.Text.Json.Serialization;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// The scalar reads: curves (downsampled in the database), raw points, latest and single values, metric names.
public static partial class EventsReadEndpoints
{
    public sealed record HistogramRequest(string? Task, List<string>? Tasks, int? Samples, string? Key, List<MetricVariants>? Metrics);

    public sealed record TasksRequest(List<string>? Tasks, string? EventType, List<MetricVariants>? Metrics);

    public sealed record RawRequest(string? Task, MetricVariants? Metric, string? Key, int? BatchSize, bool CountTotal, string? ScrollId);

    /// <summary>A curve; <c>X</c> is a typed list (steps, ms or ISO times), so its values are written without boxing.</summary>
    public sealed record Curve(string Name, object X, List<double> Y);

    public sealed record MultiTaskCurvesResponse(Dictionary<string, Dictionary<string, Dictionary<string, Curve>>> Metrics);

    public sealed record MetricsAndVariantsResponse(Dictionary<string, List<string>> Metrics);

    public sealed record TaskMetricNames(string Task, List<string> Metrics);

    public sealed record TaskMetricsResponse(List<TaskMetricNames> Metrics);

    public sealed record MultiTaskMetricsResponse(List<MetricVariants> Metrics);

    public sealed record RawResponse(Dictionary<string, Dictionary<string, List<object>>> Variants, long? Total, int Returned, string ScrollId);

    public sealed record LatestVariant(string Name, double LastValue, [property: JsonPropertyName("last_100_value")] double Last100Value);

    public sealed record LatestMetric(string Name, List<LatestVariant> Variants);

    public sealed record LatestValuesResponse(List<LatestMetric> Metrics, long LastIter, string Name, string Status, long LastTimestamp);

    public sealed record SingleValue(string Metric, string Variant, double Value, long Timestamp);

    public sealed record TaskSingleValues(string Task, string TaskName, List<SingleValue> Values);

    public sealed record SingleValuesResponse(List<TaskSingleValues> Tasks);

    private const int DefaultSamples = 2000;
    private const int MaxSamples = 6000;

    public static async Task<Dictionary<string, Dictionary<string, Curve>>> ScalarHistogram(
        ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<HistogramRequest>();
        var task = (await RequireTasksAsync(tasks, [request.Task], ct)).Keys.Single();
        var curves = await CurvesAsync(reader, [task], request, ct);
        return curves.GroupBy(c => c.Series.Metric)
            .ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Series.Variant, c => c.Curve with { Name = c.Series.Variant }));
    }

    /// <summary>The same curves for several tasks, side by side: metric, variant, then task (named by the task's name).</summary>
    public static async Task<MultiTaskCurvesResponse> MultiTaskScalarHistogram(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<HistogramRequest>();
        var experiments = await RequireTasksAsync(tasks, request.Tasks ?? throw ClearMlException.MissingField("tasks"), ct);
        var curves = await CurvesAsync(reader, experiments.Keys, request, ct);
        return new MultiTaskCurvesResponse(curves.GroupBy(c => c.Series.Metric).ToDictionary(
            m => m.Key,
            m => m.GroupBy(c => c.Series.Variant).ToDictionary(
                v => v.Key,
                v => v.ToDictionary(c => c.Series.ExperimentId.ToString("N"), c => c.Curve with { Name = experiments[c.Series.ExperimentId].Name }))));
    }

    public static async Task<MetricsAndVariantsResponse> ScalarMetricsAndVariants(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var task = (await RequireTasksAsync(tasks, [call.Read<TasksEndpoints.TaskRequest>().Task], ct)).Keys.Single();
        var series = await reader.SeriesAsync([task], null, ct);
        return new MetricsAndVariantsResponse(series.GroupBy(s => s.Metric).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => s.Variant).Order(StringComparer.Ordinal).ToList()));
    }

    /// <summary>The metric names each task reported events of the type for (every type when none is given).</summary>
    public static async Task<TaskMetricsResponse> TaskMetrics(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<TasksRequest>();
        var experiments = await RequireTasksAsync(tasks, request.Tasks ?? throw ClearMlException.MissingField("tasks"), ct);
        var types = EventTypes.Parse(request.EventType);
        var names = new List<(Guid ExperimentId, string Metric)>();
        if (types.Scalars)
        {
            names.AddRange((await reader.SeriesAsync(experiments.Keys, null, ct)).Select(s => (s.ExperimentId, s.Metric)));
        }
        if (types.Others)
        {
            names.AddRange(await reader.EventMetricsAsync(experiments.Keys, types.Kind is { } kind ? [kind] : MetricKinds, ct));
        }
        return new TaskMetricsResponse(experiments.Keys
            .Select(id => new TaskMetricNames(id.ToString("N"),
                names.Where(n => n.ExperimentId == id).Select(n => n.Metric).Distinct().Order(StringComparer.Ordinal).ToList()))
            .ToList());
    }

    /// <summary>The metrics and variants the tasks reported, together (what a comparison can show).</summary>
    public static async Task<MultiTaskMetricsResponse> MultiTaskMetrics(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<TasksRequest>();
        var experiments = await RequireTasksAsync(tasks, request.Tasks ?? throw ClearMlException.MissingField("tasks"), ct);
        var types = EventTypes.Parse(request.EventType);
        var pairs = new List<(string Metric, string Variant)>();
        if (types.Scalars)
        {
            pairs.AddRange((await reader.SeriesAsync(experiments.Keys, null, ct)).Select(s => (s.Metric, s.Variant)));
        }
        if (types.Others)
        {
            pairs.AddRange((await reader.EventMetricVariantsAsync(experiments.Keys, types.Kind is { } kind ? [kind] : MetricKinds, ct)).Select(e => (e.Metric, e.Variant)));
        }
        return new MultiTaskMetricsResponse([.. pairs.Distinct().GroupBy(p => p.Metric).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MetricVariants(g.Key, [.. g.Select(p => p.Variant).Order(StringComparer.Ordinal)]))]);
    }

    /// <summary>Every point of one metric's variants, in pages that continue with the returned scroll_id.</summary>
    public static async Task<RawResponse> ScalarRaw(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<RawRequest>();
        var task = (await RequireTasksAsync(tasks, [request.Task], ct)).Keys.Single();
        var metric = request.Metric?.Metric ?? throw ClearMlException.MissingField("metric");
        var key = Key(request.Key);
        var batchSize = BatchSize(request.BatchSize, 10_000, 200_000);
        var after = Decode(request.ScrollId)?.Point;
        var series = await reader.SeriesAsync([task], [new MetricSelector(metric, request.Metric.Variants)], ct);
        var points = await reader.PointPageAsync(series, after, false, batchSize, ct);
        var variants = series.ToDictionary(s => s.Id, s => s.Variant);
        var data = points.GroupBy(p => variants[p.SeriesId]).ToDictionary(g => g.Key, g => new Dictionary<string, List<object>>
        {
            ["y"] = g.Select(p => (object)p.Value).ToList(),
            [key] = g.Select(p => key == IterKey ? (object)p.Step : Milliseconds(p.Timestamp)).ToList(),
        });
        var position = points.Count > 0 ? new PointCursor(points[^1].SeriesId, points[^1].Step, points[^1].Id) : after;
        return new RawResponse(data, request.CountTotal ? series.Sum(s => s.Count) : null, points.Count, Encode(new ScrollPosition(position, null)));
    }

    public static async Task<LatestValuesResponse> LatestScalarValues(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var experiment = (await RequireTasksAsync(tasks, [call.Read<TasksEndpoints.TaskRequest>().Task], ct)).Values.Single();
        var series = (await reader.SeriesAsync([experiment.Id], null, ct)).Where(s => s.LastStep != MetricsReader.SingleValueStep).ToList();
        var recent = (await reader.RecentAveragesAsync(series.Select(s => s.Id).ToList(), ct)).ToDictionary(r => r.SeriesId, r => r.RecentAverage);
        var metrics = series.GroupBy(s => s.Metric).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new LatestMetric(g.Key, g.OrderBy(s => s.Variant, StringComparer.Ordinal)
                .Select(s => new LatestVariant(s.Variant, s.LastValue, recent.GetValueOrDefault(s.Id) ?? s.LastValue))
                .ToList()))
            .ToList();
        var lastTimestamp = series.Count > 0 ? Milliseconds(series.Max(s => s.LastTimestamp)) : 0;
        return new LatestValuesResponse(metrics, experiment.LastIteration, experiment.Name, TaskStatusNames.ToWire(experiment.Status), lastTimestamp);
    }

    /// <summary>Values reported with <c>report_single_value</c>; a name reported again shows its latest value.</summary>
    public static async Task<SingleValuesResponse> SingleValueMetrics(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<TasksRequest>();
        var experiments = await RequireTasksAsync(tasks, request.Tasks ?? throw ClearMlException.MissingField("tasks"), ct);
        var series = (await reader.SeriesAsync(experiments.Keys, Selectors(request.Metrics), ct)).ToDictionary(s => s.Id);
        var latest = (await reader.SingleValuesAsync(series.Keys, ct)).GroupBy(p => p.SeriesId).Select(g => g.Last()).ToList();
        return new SingleValuesResponse(experiments.Values
            .Select(e => new TaskSingleValues(e.Id.ToString("N"), e.Name, latest
                .Where(p => series[p.SeriesId].ExperimentId == e.Id)
                .Select(p => new SingleValue(series[p.SeriesId].Metric, series[p.SeriesId].Variant, p.Value, Milliseconds(p.Timestamp)))
                .ToList()))
            .ToList());
    }

    private const string IterKey = "iter";

    /// <summary>The kinds of events reported under a metric name (console lines have none).</summary>
    private static readonly EventKind[] MetricKinds = [EventKind.Plot, EventKind.Image, EventKind.Vector, EventKind.Text];

    private static readonly string[] Keys = [IterKey, "timestamp", "iso_time"];

    private static string Key(string? key) =>
        key is null ? IterKey : Keys.Contains(key) ? key : throw ClearMlException.Validation($"key must be one of {string.Join(", ", Keys)}");

    private static async Task<List<(MetricSeries Series, Curve Curve)>> CurvesAsync(
        MetricsReader reader, IReadOnlyCollection<Guid> tasks, HistogramRequest request, CancellationToken ct)
    {
        var key = Key(request.Key);
        var samples = request.Samples ?? DefaultSamples;
        if (samples is < 1 or > MaxSamples)
        {
            throw ClearMlException.Validation($"samples must be between 1 and {MaxSamples}");
        }
        var series = await reader.SeriesAsync(tasks, Selectors(request.Metrics), ct);
        var points = await reader.HistogramAsync(series.Select(s => s.Id).ToList(), samples, ct);
        var bySeries = points.ToLookup(p => p.SeriesId);
        return series.Where(s => bySeries.Contains(s.Id))
            .Select(s =>
            {
                var ordered = key == IterKey ? bySeries[s.Id].ToList() : bySeries[s.Id].OrderBy(p => p.Timestamp).ToList(); // the reader answers in step order
                object x = key switch
                {
                    IterKey => ordered.Select(p => p.Step).ToList(),
                    "timestamp" => ordered.Select(p => Milliseconds(p.Timestamp)).ToList(),
                    _ => ordered.Select(p => p.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).ToList(),
                };
                return (s, new Curve(s.Variant, x, ordered.Select(p => p.Value).ToList()));
            })
            .ToList();
    }
}
