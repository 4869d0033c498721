using System.Globalization;
using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// Plots and debug images: the latest per variant, the image viewer's samples, pages of iterations.
public static partial class EventsReadEndpoints
{
    public sealed record PlotsRequest(string? Task, List<string>? Tasks, int? Iters, List<MetricVariants>? Metrics, string? ScrollId);

    public sealed record DebugImagesRequest(List<TaskMetricVariants>? Metrics, int? Iters, bool? NavigateEarlier, bool Refresh, string? ScrollId);

    public sealed record PlotsResponse(List<JsonObject> Plots, int Returned, long Total);

    public sealed record TaskIterationPlots(string Name, List<JsonObject> Plots);

    public sealed record MultiTaskPlotsResponse(
        Dictionary<string, Dictionary<string, Dictionary<string, Dictionary<string, TaskIterationPlots>>>> Plots, int Returned, long Total, string ScrollId);

    public sealed record IterationEvents(long Iter, List<JsonObject> Events);

    public sealed record TaskIterations(string Task, List<IterationEvents> Iterations);

    public sealed record DebugImagesResponse(List<TaskIterations> Metrics, string ScrollId);

    /// <summary>The iterations of one task that debug image pages have covered so far.</summary>
    private sealed record IterationRange(long Min, long Max);

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
        var keys = await reader.EventKeysAsync(task, EventKind.Image, ct);
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
        var keys = await reader.EventKeysAsync(task, EventKind.Image, ct);
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
    /// Debug images (or plots) of the requested metrics, <c>iters</c> iterations per task and page, from the latest down.
    /// The scroll_id remembers which iterations each task has shown, so paging on past the first iteration
    /// returns empty iterations (the SDK pages until every task comes back empty).
    /// </summary>
    public static Task<DebugImagesResponse> DebugImages(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct) =>
        IterationPagesAsync(call, tasks, reader, EventKind.Image, ct);

    /// <summary>The same pages of iterations for plots (events.plots, the comparison's plots).</summary>
    public static Task<DebugImagesResponse> Plots(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct) =>
        IterationPagesAsync(call, tasks, reader, EventKind.Plot, ct);

    private static async Task<DebugImagesResponse> IterationPagesAsync(
        ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, EventKind kind, CancellationToken ct)
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
            var images = await reader.IterationWindowAsync(group.Key, kind, selectors, earlier, range?.Min, range?.Max, Iterations(request.Iters), ct);
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
}
