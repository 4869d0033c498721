using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// The plot viewer's samples, vector metrics, one scalar metric's events, and model events.
public static partial class EventsReadEndpoints
{
    public sealed record PlotSampleRequest(
        string? Task, string? Metric, long? Iteration, bool NavigateCurrentMetric = true, string? ScrollId = null,
        bool NavigateEarlier = false, bool NextIteration = false);

    /// <summary>Where the plot viewer stands: the metric and iteration shown, and whether it moves within that metric only.</summary>
    private sealed record PlotSamplePosition(string Metric, long Iteration, bool CurrentMetricOnly);

    public sealed record PlotSampleResponse(string ScrollId, List<JsonObject> Events, long? MinIteration, long? MaxIteration);

    public sealed record VectorRequest(string? Task, string? Metric, string? Variant);

    public sealed record VectorsResponse(string Metric, string Variant, List<JsonNode?> Vectors, List<long> Iterations);

    public sealed record ScalarMetricDataRequest(string? Task, string? Metric, string? ScrollId);

    public sealed record ModelEventsRequest(string? Model, bool AllowLocked);

    public sealed record DeletedResponse(int Deleted);

    /// <summary>The plot viewer's first view: every plot of the metric at the iteration asked (else its latest iteration).</summary>
    public static async Task<PlotSampleResponse> PlotSample(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<PlotSampleRequest>();
        var task = await RequireTaskAsync(tasks, request.Task, ct);
        var metric = request.Metric ?? throw ClearMlException.MissingField("metric");
        var keys = PlotKeys(await reader.EventKeysAsync(task, EventKind.Plot, ct));
        var found = keys.LastOrDefault(k => k.Metric == metric && (request.Iteration is not { } i || k.Iteration == i));
        return await PlotsAtAsync(reader, task, keys, found.Metric is null ? null : found, request.NavigateCurrentMetric, ct);
    }

    /// <summary>
    /// The viewer's next (or, with <c>navigate_earlier</c>, previous) view: the next metric of the same iteration, else the
    /// first of the next iteration (only the same metric's iterations when it moves within its metric, or with
    /// <c>next_iteration</c>). At either end the answer has no events and the position stays.
    /// </summary>
    public static async Task<PlotSampleResponse> NextPlotSample(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<PlotSampleRequest>();
        var task = await RequireTaskAsync(tasks, request.Task, ct);
        var at = Decode<PlotSamplePosition>(request.ScrollId ?? throw ClearMlException.MissingField("scroll_id"))!;
        var keys = PlotKeys(await reader.EventKeysAsync(task, EventKind.Plot, ct));
        var candidates = keys.Where(k => !(at.CurrentMetricOnly || request.NextIteration) || k.Metric == at.Metric).ToList();
        var index = candidates.FindIndex(k => k.Iteration == at.Iteration && k.Metric == at.Metric);
        var step = request.NavigateEarlier ? -1 : 1;
        return index >= 0 && index + step >= 0 && index + step < candidates.Count
            ? await PlotsAtAsync(reader, task, keys, candidates[index + step], at.CurrentMetricOnly, ct)
            : new PlotSampleResponse(request.ScrollId, [], null, null);
    }

    /// <summary>The (iteration, metric) pairs that have plots, ordered, each with its events' ids.</summary>
    private static List<(long Iteration, string Metric, List<long> Ids)> PlotKeys(List<(long Iteration, string Metric, string Variant, long Id)> events) =>
        [.. events.GroupBy(e => (e.Iteration, e.Metric))
            .Select(g => (g.Key.Iteration, g.Key.Metric, g.Select(e => e.Id).ToList()))
            .OrderBy(k => k.Iteration).ThenBy(k => k.Metric, StringComparer.Ordinal)];

    private static async Task<PlotSampleResponse> PlotsAtAsync(
        MetricsReader reader, Guid task, List<(long Iteration, string Metric, List<long> Ids)> keys,
        (long Iteration, string Metric, List<long> Ids)? at, bool currentMetricOnly, CancellationToken ct)
    {
        if (at is not { } sample)
        {
            return new PlotSampleResponse(Encode(new PlotSamplePosition("", 0, currentMetricOnly)), [], null, null);
        }
        var iterations = keys.Where(k => k.Metric == sample.Metric).Select(k => k.Iteration).ToList();
        // A variant reported twice at one iteration shows its latest plot.
        var events = (await reader.EventsAsync(sample.Ids, ct)).GroupBy(e => e.Variant).Select(g => g.Last())
            .OrderBy(e => e.Variant, StringComparer.Ordinal).Select(Payload).ToList();
        return new PlotSampleResponse(Encode(new PlotSamplePosition(sample.Metric, sample.Iteration, currentMetricOnly)), events, iterations.Min(), iterations.Max());
    }

    /// <summary>The vector metrics (training_stats_vector) the task reported: metric to its variants.</summary>
    public static async Task<MetricsAndVariantsResponse> VectorMetricsAndVariants(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var task = await RequireTaskAsync(tasks, call.Read<TasksEndpoints.TaskRequest>().Task, ct);
        var pairs = await reader.EventMetricVariantsAsync([task], [EventKind.Vector], ct);
        return new MetricsAndVariantsResponse(pairs.GroupBy(p => p.Metric).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Variant).Distinct().Order(StringComparer.Ordinal).ToList()));
    }

    /// <summary>One vector variant's values per iteration, in iteration order (at most 10,000, as ClearML).</summary>
    public static async Task<VectorsResponse> VectorHistogram(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<VectorRequest>();
        var task = await RequireTaskAsync(tasks, request.Task, ct);
        var metric = request.Metric ?? throw ClearMlException.MissingField("metric");
        var variant = request.Variant ?? throw ClearMlException.MissingField("variant");
        var events = (await reader.IterationWindowAsync(task, EventKind.Vector, [new MetricSelector(metric, [variant])], false, null, null, 10_000, ct))
            .OrderBy(e => e.Iteration ?? 0).ThenBy(e => e.Id).Take(10_000).Select(Payload).ToList();
        return new VectorsResponse(metric, variant,
            [.. events.Select(e => (e["values"] ?? e["value"])?.DeepClone())],
            [.. events.Select(e => e["iter"]?.GetValue<long>() ?? 0)]);
    }

    /// <summary>Every scalar event of one metric of the task, latest iterations first, in pages that continue with the scroll_id.</summary>
    public static Task<EventsResponse> ScalarMetricData(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<ScalarMetricDataRequest>();
        var metric = request.Metric ?? throw ClearMlException.MissingField("metric");
        return TaskEvents(ClearMlCall.WithFields(call.Http, new JsonObject
        {
            ["task"] = request.Task ?? throw ClearMlException.MissingField("task"),
            ["event_type"] = EventsEndpoints.ScalarType,
            ["metrics"] = new JsonArray(new JsonObject { ["metric"] = metric }),
            ["order"] = "desc",
            ["scroll_id"] = request.ScrollId,
        }), tasks, reader, ct);
    }

    /// <summary>
    /// Model events are refused at ingest (events.add_batch), so a model has none to delete; the model must still be the
    /// caller's and, unless <c>allow_locked</c>, not published.
    /// </summary>
    public static async Task<DeletedResponse> DeleteForModel(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<ModelEventsRequest>();
        var model = await models.GetAsync(ModelsEndpoints.ModelId(request.Model ?? throw ClearMlException.MissingField("model")), ct);
        if (model.Ready && !request.AllowLocked)
        {
            throw new ClearMlException(400, 203, $"Model is ready: cannot update events for a published model: model={model.Id:N}");
        }
        return new DeletedResponse(0);
    }
}
