using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
public static partial class EventsReadEndpoints
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
        api.MapAction("events.plots", Plots);
        api.MapAction("events.get_plot_sample", PlotSample);
        api.MapAction("events.next_plot_sample", NextPlotSample);
        api.MapAction("events.get_vector_metrics_and_variants", VectorMetricsAndVariants);
        api.MapAction("events.vector_metrics_iter_histogram", VectorHistogram);
        api.MapAction("events.get_scalar_metric_data", ScalarMetricData);
        api.MapAction("events.delete_for_model", DeleteForModel);
    }

    public sealed record MetricVariants(string? Metric, List<string>? Variants);

    public sealed record TaskMetricVariants(string? Task, string? Metric, List<string>? Variants);

    public sealed record TaskEventsRequest(string? Task, string? Order, string? ScrollId, int? BatchSize, string? EventType, List<MetricVariants>? Metrics);

    public sealed record EventsResponse(List<JsonObject> Events, int Returned, long Total, string? ScrollId);

    /// <summary>Where a scroll stands: in the scalars, then in the other events.</summary>
    private sealed record ScrollPosition(PointCursor? Point, EventCursor? Event);

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
