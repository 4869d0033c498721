using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>events.*</c> reads: scalar curves (downsampled in the database), scrolls over every reported
/// event, console output, plots, debug images, and deleting a task's events. A scroll_id carries the position
/// the previous page ended at, so any replica can continue it and nothing is kept between calls.
/// </summary>
public static class EventsReadEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("events.clear_scroll", ClearScroll);
        api.MapAction("events.scalar_metrics_iter_histogram", ScalarHistogram);
        api.MapAction("events.multi_task_scalar_metrics_iter_histogram", MultiTaskScalarHistogram);
        api.MapAction("events.get_scalar_metrics_and_variants", ScalarMetricsAndVariants);
        api.MapAction("events.get_task_metrics", TaskMetrics);
        api.MapAction("events.get_multi_task_metrics", MultiTaskMetrics);
        api.MapAction("events.scalar_metrics_iter_raw", ScalarRaw);
        api.MapAction("events.get_task_latest_scalar_values", LatestScalarValues);
        api.MapAction("events.get_task_single_value_metrics", SingleValueMetrics);
        api.MapAction("events.get_task_events", TaskEvents);
        api.MapAction("events.get_task_log", TaskLog);
        api.MapAction("events.get_task_plots", TaskPlots);
        api.MapAction("events.get_multi_task_plots", MultiTaskPlots);
        api.MapAction("events.debug_images", DebugImages);
        api.MapAction("events.get_debug_image_sample", DebugImageSample);
        api.MapAction("events.download_task_log", DownloadTaskLog);
        api.MapAction("events.next_debug_image_sample", NextDebugImageSample);
        api.MapAction("events.delete_for_task", DeleteForTask);
        api.MapAction("events.clear_task_log", ClearTaskLog);
    }

    public sealed record MetricVariants(string? Metric, List<string>? Variants);

    public sealed record TaskMetricVariants(string? Task, string? Metric, List<string>? Variants);

    public sealed record HistogramRequest(string? Task, List<string>? Tasks, int? Samples, string? Key, List<MetricVariants>? Metrics);

    public sealed record TasksRequest(List<string>? Tasks, string? EventType, List<MetricVariants>? Metrics);

    public sealed record RawRequest(string? Task, MetricVariants? Metric, string? Key, int? BatchSize, bool CountTotal, string? ScrollId);

    public sealed record TaskEventsRequest(string? Task, string? Order, string? ScrollId, int? BatchSize, string? EventType, List<MetricVariants>? Metrics);

    public sealed record LogRequest(string? Task, int? BatchSize, bool? NavigateEarlier, double? FromTimestamp, string? Order);

    public sealed record PlotsRequest(string? Task, List<string>? Tasks, int? Iters, List<MetricVariants>? Metrics, string? ScrollId);

    public sealed record DebugImagesRequest(List<TaskMetricVariants>? Metrics, int? Iters, bool? NavigateEarlier, bool Refresh, string? ScrollId);

    public sealed record DeleteRequest(string? Task, bool AllowLocked, long? ThresholdSec);

    public sealed record Curve(string Name, List<object> X, List<double> Y);

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

    public sealed record EventsResponse(List<JsonObject> Events, int Returned, long Total, string? ScrollId);

    public sealed record PlotsResponse(List<JsonObject> Plots, int Returned, long Total);

    public sealed record TaskIterationPlots(string Name, List<JsonObject> Plots);

    public sealed record MultiTaskPlotsResponse(
        Dictionary<string, Dictionary<string, Dictionary<string, Dictionary<string, TaskIterationPlots>>>> Plots, int Returned, long Total, string ScrollId);

    public sealed record IterationEvents(long Iter, List<JsonObject> Events);

    public sealed record TaskIterations(string Task, List<IterationEvents> Iterations);

    public sealed record DebugImagesResponse(List<TaskIterations> Metrics, string ScrollId);

    public sealed record DeleteResponse(bool Deleted);

    public sealed record ClearLogResponse(int Deleted);

    /// <summary>Where a scroll stands: in the scalars, then in the other events.</summary>
    private sealed record ScrollPosition(PointCursor? Point, EventCursor? Event);

    /// <summary>The iterations of one task that debug image pages have covered so far.</summary>
    private sealed record IterationRange(long Min, long Max);

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

    /// <summary>
    /// Every event of the task, scalars first (as the full event objects the client sent, rebuilt from the
    /// points), then the others; the scroll_id holds where the page ended, so paging is complete and stable.
    /// </summary>
    public static async Task<EventsResponse> TaskEvents(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<TaskEventsRequest>();
        var task = (await RequireTasksAsync(tasks, [request.Task], ct)).Keys.Single();
        var descending = Descending(request.Order, false);
        var batchSize = BatchSize(request.BatchSize, 500, 10_000);
        var types = EventTypes.Parse(request.EventType);
        var selectors = Selectors(request.Metrics);
        var position = Decode(request.ScrollId) ?? new ScrollPosition(null, null);
        var series = types.Scalars ? await reader.SeriesAsync([task], selectors, ct) : [];
        var page = new List<JsonObject>();
        if (types.Scalars && position.Event is null)
        {
            var byId = series.ToDictionary(s => s.Id);
            var points = await reader.PointPageAsync(series, position.Point, descending, batchSize, ct);
            page.AddRange(points.Select(p => ScalarEvent(byId[p.SeriesId], p)));
            if (points.Count > 0)
            {
                position = position with { Point = new PointCursor(points[^1].SeriesId, points[^1].Step, points[^1].Id) };
            }
        }
        if (types.Others && page.Count < batchSize)
        {
            var events = await reader.EventPageAsync(task, types.Kind, selectors, position.Event, descending, batchSize - page.Count, ct);
            page.AddRange(events.Select(Payload));
            if (events.Count > 0)
            {
                position = position with { Event = new EventCursor(events[^1].Timestamp, events[^1].Id) };
            }
        }
        var total = series.Sum(s => s.Count) + (types.Others ? await reader.CountEventsAsync(task, types.Kind, selectors, ct) : 0);
        return new EventsResponse(page, page.Count, total, Encode(position));
    }

    /// <summary>
    /// Console output: <c>batch_size</c> lines before (navigate_earlier, the default) or after <c>from_timestamp</c>,
    /// or the latest/earliest ones without it, returned in the requested order.
    /// </summary>
    public static async Task<EventsResponse> TaskLog(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<LogRequest>();
        var task = (await RequireTasksAsync(tasks, [request.Task], ct)).Keys.Single();
        var earlier = request.NavigateEarlier ?? true;
        var from = request.FromTimestamp is { } ms ? FromMilliseconds(ms) : (DateTime?)null;
        var lines = await reader.LogPageAsync(task, from, earlier, BatchSize(request.BatchSize, 5_000, 10_000), ct);
        if (Descending(request.Order, earlier) != earlier)
        {
            lines.Reverse();
        }
        return new EventsResponse(lines.Select(Payload).ToList(), lines.Count, await reader.CountEventsAsync(task, EventKind.Log, null, ct), null);
    }

    /// <summary>For each plot (metric and variant), the plots of its last <c>iters</c> iterations, latest first.</summary>
    public static async Task<PlotsResponse> TaskPlots(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<PlotsRequest>();
        var task = (await RequireTasksAsync(tasks, [request.Task], ct)).Keys.Single();
        var plots = await reader.LatestPerVariantAsync([task], EventKind.Plot, Selectors(request.Metrics), Iterations(request.Iters), ct);
        return new PlotsResponse(plots.Select(Payload).ToList(), plots.Count, plots.Count);
    }

    /// <summary>The same for several tasks, keyed by metric, variant, task and iteration, each with the task's name.</summary>
    public static async Task<MultiTaskPlotsResponse> MultiTaskPlots(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<PlotsRequest>();
        var experiments = await RequireTasksAsync(tasks, request.Tasks ?? throw ClearMlException.MissingField("tasks"), ct);
        // One page holds every latest plot, so a scroll past it is empty (the web UI pages until a page is).
        var plots = request.ScrollId is null
            ? await reader.LatestPerVariantAsync(experiments.Keys, EventKind.Plot, Selectors(request.Metrics), Iterations(request.Iters), ct)
            : [];
        var nested = plots.GroupBy(p => p.Metric ?? "").ToDictionary(m => m.Key, m => m
            .GroupBy(p => p.Variant ?? "").ToDictionary(v => v.Key, v => v
                .GroupBy(p => p.ExperimentId).ToDictionary(t => t.Key.ToString("N"), t => t
                    .GroupBy(p => p.Iteration ?? 0).ToDictionary(
                        i => i.Key.ToString(CultureInfo.InvariantCulture),
                        i => new TaskIterationPlots(experiments[t.Key].Name, i.Select(Payload).ToList())))));
        return new MultiTaskPlotsResponse(nested, plots.Count, plots.Count, Encode(new ScrollPosition(null, null)));
    }

    public sealed record DownloadLogRequest(string? Task, string? LineType, string? LineFormat);

    /// <summary>
    /// The whole console log as an attachment (the web UI navigates to it): a JSON object per line, or with
    /// <c>line_type=text</c> one line of <c>line_format</c> (placeholders <c>{asctime}</c>, <c>{worker}</c>, <c>{level}</c>, <c>{msg}</c>).
    /// </summary>
    public static async Task<IResult> DownloadTaskLog(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<DownloadLogRequest>();
        var task = await RequireTaskAsync(tasks, request.Task, ct);
        var text = request.LineType switch
        {
            null or "json" => false,
            "text" => true,
            _ => throw ClearMlException.Validation("line_type must be json or text"),
        };
        var format = request.LineFormat ?? "{asctime} {worker} {level} {msg}";
        var log = new System.Text.StringBuilder();
        DateTime? after = null;
        while (await reader.LogPageAsync(task, after, false, 10_000, ct) is { Count: > 0 } page)
        {
            foreach (var line in page)
            {
                var payload = Payload(line);
                log.Append(text
                    ? format.Replace("{asctime}", line.Timestamp.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture))
                        .Replace("{worker}", payload["worker"]?.ToString()).Replace("{level}", payload["level"]?.ToString())
                        .Replace("{msg}", payload["msg"]?.ToString())
                    : line.Payload).Append('\n');
            }
            after = page[^1].Timestamp;
        }
        return Results.File(System.Text.Encoding.UTF8.GetBytes(log.ToString()), "text/plain; charset=utf-8", $"task_{task:N}.log");
    }

    public sealed record ImageSampleRequest(
        string? Task, string? Metric, string? Variant, long? Iteration, bool NavigateCurrentMetric = true, string? ScrollId = null,
        bool NavigateEarlier = false, bool NextIteration = false);

    /// <summary>Where the image viewer stands: the image shown, and whether it moves within its metric only.</summary>
    private sealed record ImageSamplePosition(string Metric, string Variant, long Iteration, bool CurrentMetricOnly);

    public sealed record ImageSampleResponse(string ScrollId, JsonObject? Event, long? MinIteration, long? MaxIteration);

    /// <summary>The image viewer's first image: the variant's image at the iteration asked (else its latest).</summary>
    public static async Task<ImageSampleResponse> DebugImageSample(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<ImageSampleRequest>();
        var task = await RequireTaskAsync(tasks, request.Task, ct);
        var metric = request.Metric ?? throw ClearMlException.MissingField("metric");
        var variant = request.Variant ?? throw ClearMlException.MissingField("variant");
        var keys = await reader.ImageKeysAsync(task, ct);
        var found = keys.LastOrDefault(k => k.Metric == metric && k.Variant == variant && (request.Iteration is not { } i || k.Iteration == i));
        return await SampleAsync(reader, keys, found.Id == 0 ? null : found, request.NavigateCurrentMetric, ct);
    }

    /// <summary>
    /// The viewer's next (or, with <c>navigate_earlier</c>, previous) image: the next variant of the same iteration, else
    /// the first of the next iteration; with <c>next_iteration</c>, the same variant's next iteration. At either end the
    /// answer has no event and the position stays.
    /// </summary>
    public static async Task<ImageSampleResponse> NextDebugImageSample(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<ImageSampleRequest>();
        var task = await RequireTaskAsync(tasks, request.Task, ct);
        var at = Decode<ImageSamplePosition>(request.ScrollId ?? throw ClearMlException.MissingField("scroll_id"))!;
        var keys = await reader.ImageKeysAsync(task, ct);
        var candidates = keys.Where(k => request.NextIteration ? k.Metric == at.Metric && k.Variant == at.Variant : !at.CurrentMetricOnly || k.Metric == at.Metric).ToList();
        var index = candidates.FindLastIndex(k => k.Iteration == at.Iteration && k.Metric == at.Metric && k.Variant == at.Variant);
        var step = request.NavigateEarlier ? -1 : 1;
        var next = index >= 0 && index + step >= 0 && index + step < candidates.Count ? candidates[index + step] : ((long, string, string, long)?)null;
        return next is { } found
            ? await SampleAsync(reader, keys, found, at.CurrentMetricOnly, ct)
            : new ImageSampleResponse(request.ScrollId, null, null, null);
    }

    private static async Task<ImageSampleResponse> SampleAsync(
        MetricsReader reader, List<(long Iteration, string Metric, string Variant, long Id)> keys,
        (long Iteration, string Metric, string Variant, long Id)? sample, bool currentMetricOnly, CancellationToken ct)
    {
        if (sample is not { } s)
        {
            return new ImageSampleResponse(Encode(new ImageSamplePosition("", "", 0, currentMetricOnly)), null, null, null);
        }
        var iterations = keys.Where(k => k.Metric == s.Metric && k.Variant == s.Variant).Select(k => k.Iteration).ToList();
        return new ImageSampleResponse(
            Encode(new ImageSamplePosition(s.Metric, s.Variant, s.Iteration, currentMetricOnly)),
            Payload(await reader.EventAsync(s.Id, ct)), iterations.Min(), iterations.Max());
    }

    /// <summary>
    /// Debug images of the requested metrics, <c>iters</c> iterations per task and page, from the latest down.
    /// The scroll_id remembers which iterations each task has shown, so paging on past the first iteration
    /// returns empty iterations (the SDK pages until every task comes back empty).
    /// </summary>
    public static async Task<DebugImagesResponse> DebugImages(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<DebugImagesRequest>();
        var requested = request.Metrics is { Count: > 0 } metrics ? metrics : throw ClearMlException.MissingField("metrics");
        await RequireTasksAsync(tasks, requested.Select(m => m.Task).ToList(), ct);
        var byTask = requested.GroupBy(m => TasksEndpoints.TaskId(m.Task)).ToList();
        var covered = request.Refresh ? null : Decode<Dictionary<string, IterationRange>>(request.ScrollId);
        var next = new Dictionary<string, IterationRange>(covered ?? []);
        var result = new List<TaskIterations>();
        foreach (var group in byTask)
        {
            var id = group.Key.ToString("N");
            var range = covered?.GetValueOrDefault(id);
            var earlier = range is null || (request.NavigateEarlier ?? true);
            // An entry without a metric asks for all of the task's metrics.
            var selectors = group.Any(m => m.Metric is null) ? null : group.Select(m => new MetricSelector(m.Metric!, m.Variants)).ToList();
            var images = await reader.IterationWindowAsync(group.Key, EventKind.Image, selectors, earlier, range?.Min, range?.Max, Iterations(request.Iters), ct);
            var iterations = images
                .GroupBy(e => (Iteration: e.Iteration ?? 0, e.Metric, e.Variant)).Select(g => g.Last())
                .GroupBy(e => e.Iteration ?? 0)
                .Select(g => new IterationEvents(g.Key, g.OrderBy(e => e.Metric, StringComparer.Ordinal).ThenBy(e => e.Variant, StringComparer.Ordinal).Select(Payload).ToList()))
                .ToList();
            iterations = earlier ? [.. iterations.OrderByDescending(i => i.Iter)] : [.. iterations.OrderBy(i => i.Iter)];
            if (iterations.Count > 0)
            {
                next[id] = new IterationRange(
                    Math.Min(range?.Min ?? long.MaxValue, iterations.Min(i => i.Iter)),
                    Math.Max(range?.Max ?? long.MinValue, iterations.Max(i => i.Iter)));
            }
            result.Add(new TaskIterations(id, iterations));
        }
        return new DebugImagesResponse(result, Encode(next));
    }

    /// <summary>Deletes every reported event and metric point of the task; a published task only with allow_locked.</summary>
    public static async Task<DeleteResponse> DeleteForTask(ClearMlCall call, ExperimentRepository tasks, MetricsStore store, CancellationToken ct)
    {
        var request = call.Read<DeleteRequest>();
        var task = await RequireWritableAsync(tasks, request, ct);
        return new DeleteResponse(await store.DeleteAllAsync(task, ct) > 0);
    }

    /// <summary>Deletes the task's console output, or only lines older than <c>threshold_sec</c>.</summary>
    public static async Task<ClearLogResponse> ClearTaskLog(ClearMlCall call, ExperimentRepository tasks, MetricsStore store, CancellationToken ct)
    {
        var request = call.Read<DeleteRequest>();
        var task = await RequireWritableAsync(tasks, request, ct);
        var before = request.ThresholdSec is { } seconds and > 0 ? DateTime.UtcNow.AddSeconds(-seconds) : (DateTime?)null;
        return new ClearLogResponse(await store.DeleteLogAsync(task, before, ct));
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
                var ordered = key == IterKey ? bySeries[s.Id].OrderBy(p => p.Step) : bySeries[s.Id].OrderBy(p => p.Timestamp);
                var x = ordered.Select(p => key switch
                {
                    IterKey => p.Step,
                    "timestamp" => Milliseconds(p.Timestamp),
                    _ => (object)p.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                });
                return (s, new Curve(s.Variant, x.ToList(), ordered.Select(p => p.Value).ToList()));
            })
            .ToList();
    }

    /// <summary>Each given id must name a task of the caller's workspace (400/101 otherwise).</summary>
    private static async Task<Dictionary<Guid, Experiment>> RequireTasksAsync(ExperimentRepository tasks, IReadOnlyList<string?> ids, CancellationToken ct)
    {
        var wanted = ids.Select(TasksEndpoints.TaskId).Distinct().ToList();
        if (wanted.Count is 0 or > Page.MaxSize)
        {
            throw ClearMlException.Validation($"between 1 and {Page.MaxSize} tasks are expected");
        }
        var found = (await tasks.QueryAsync(new ExperimentQuery { Ids = wanted, IncludeParameters = false }, ct)).ToDictionary(e => e.Id);
        var missing = wanted.Where(id => !found.ContainsKey(id)).Select(id => id.ToString("N")).ToList();
        return missing.Count == 0 ? found : throw DomainException.NotFound(EntityKind.Experiment, string.Join(",", missing));
    }

    /// <summary>The one task a request names (a missing field is 400/12, an unknown or foreign task as RequireTasksAsync says).</summary>
    private static async Task<Guid> RequireTaskAsync(ExperimentRepository tasks, string? task, CancellationToken ct) =>
        (await RequireTasksAsync(tasks, [task ?? throw ClearMlException.MissingField("task")], ct)).Keys.Single();

    private static async Task<Guid> RequireWritableAsync(ExperimentRepository tasks, DeleteRequest request, CancellationToken ct)
    {
        var experiment = (await RequireTasksAsync(tasks, [request.Task], ct)).Values.Single();
        if (!request.AllowLocked && experiment.Status is ExperimentStatus.Published or ExperimentStatus.Publishing)
        {
            throw new ClearMlException(400, 101, "Invalid task id: cannot update events for a published task");
        }
        return experiment.Id;
    }

    /// <summary>Which tables an <c>event_type</c> reads: the scalars, the other events (of one kind, or all without a type).</summary>
    private sealed record EventTypes(bool Scalars, bool Others, EventKind? Kind)
    {
        public static EventTypes Parse(string? eventType) => eventType switch
        {
            null => new(true, true, null),
            EventsEndpoints.ScalarType => new(true, false, null),
            _ => EventsEndpoints.NonScalarTypes.TryGetValue(eventType, out var kind)
                ? new(false, true, kind)
                : throw ClearMlException.Validation($"invalid event_type {eventType}"),
        };
    }

    private static List<MetricSelector>? Selectors(List<MetricVariants>? metrics) =>
        metrics?.Where(m => m.Metric is not null).Select(m => new MetricSelector(m.Metric!, m.Variants)).ToList();

    private static bool Descending(string? order, bool otherwise) => order switch
    {
        null => otherwise,
        "asc" => false,
        "desc" => true,
        _ => throw ClearMlException.Validation("order must be asc or desc"),
    };

    private static int BatchSize(int? given, int fallback, int max) => given switch
    {
        null => fallback,
        < 1 => throw ClearMlException.Validation("batch_size must be a positive number"),
        _ => Math.Min(given.Value, max),
    };

    private static int Iterations(int? iters) =>
        iters is < 1 ? throw ClearMlException.Validation("iters must be a positive number") : iters ?? 1;

    private static JsonObject ScalarEvent(MetricSeries series, MetricPoint point) => new()
    {
        ["type"] = EventsEndpoints.ScalarType,
        ["task"] = series.ExperimentId.ToString("N"),
        ["iter"] = point.Step,
        ["metric"] = series.Metric,
        ["variant"] = series.Variant,
        ["value"] = point.Value,
        ["timestamp"] = Milliseconds(point.Timestamp),
    };

    /// <summary>Other events are returned as the client sent them.</summary>
    private static JsonObject Payload(ExperimentEvent e) => JsonNode.Parse(e.Payload)!.AsObject();

    private static long Milliseconds(DateTime time) => (time.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    private static DateTime FromMilliseconds(double ms) =>
        ms is >= 0 and < 253402300799999 ? DateTime.UnixEpoch.AddMilliseconds(ms) : throw ClearMlException.Validation("from_timestamp out of range");

    private static string Encode<T>(T position) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position, ClearMlJson.Options));

    /// <summary>A scroll position as a client returned it; its time is made UTC whatever zone the text claims.</summary>
    private static ScrollPosition? Decode(string? scrollId)
    {
        var position = Decode<ScrollPosition>(scrollId);
        return position?.Event is { } e ? position with { Event = e with { Timestamp = e.Timestamp.ToUniversalTime() } } : position;
    }

    private static T? Decode<T>(string? scrollId) where T : class
    {
        if (string.IsNullOrEmpty(scrollId))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(scrollId), ClearMlJson.Options)
                ?? throw new JsonException();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ClearMlException(400, 1104, "Invalid scroll id");
        }
    }

    /// <summary>Scroll ids carry their own position and the server keeps nothing for them, so there is nothing to clear.</summary>
    public static object ClearScroll() => new { };
}
