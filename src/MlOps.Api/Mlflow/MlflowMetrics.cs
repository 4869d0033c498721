using System.Globalization;
using MlOps.Api.Mlflow.Contracts;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.Mlflow;

/// <summary>A metric's history: one run's points in pages (the clients), several runs' sampled over a step range (the UI's charts).</summary>
public static class MlflowMetrics
{
    private const int HistoryPage = 25_000;
    private const int MaxRunsPerChart = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/metrics/get-history", History);
        api.MapGet("/metrics/get-history-bulk", Bulk);
        api.MapGet("/metrics/get-history-bulk-interval", BulkInterval);
    }

    private static async Task<object> History(HttpContext http, ExperimentRepository runs, MetricsReader reader, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.FindAsync(runs, MlflowRuns.RunId(request), ct);
        var key = request.Required("metric_key");
        var size = request.MaxResults(HistoryPage, HistoryPage);
        var series = await SeriesAsync(reader, run.Id, key, ct);
        var points = await reader.PointPageAsync(series, Cursor(request.String("page_token")), descending: false, size + 1, ct);
        var next = points.Count > size ? Token(points[size - 1]) : null;
        return new { metrics = points.Take(size).Select(p => View(key, p)).ToList(), next_page_token = next };
    }

    private static async Task<object> Bulk(HttpContext http, ExperimentRepository runs, MetricsReader reader, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var key = request.Required("metric_key");
        var size = request.MaxResults(HistoryPage, HistoryPage);
        var metrics = new List<RunMetric>();
        foreach (var runId in RunIds(request, "run_id"))
        {
            var run = await MlflowRuns.FindAsync(runs, runId, ct);
            var points = await reader.PointPageAsync(await SeriesAsync(reader, run.Id, key, ct), null, descending: false, size, ct);
            metrics.AddRange(points.Select(p => WithRun(key, p, run.Id)));
        }
        return new { metrics };
    }

    /// <summary>Each run's points between the steps, at most <c>max_results</c> of them spread evenly, first and last kept.</summary>
    private static async Task<object> BulkInterval(HttpContext http, ExperimentRepository runs, MetricsReader reader, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var key = request.Required("metric_key");
        var size = request.MaxResults(320, 1000);
        var (from, to) = (request.Long("start_step") ?? long.MinValue, request.Long("end_step") ?? long.MaxValue);
        var ids = RunIds(request, "run_ids");
        if (ids.Count > MaxRunsPerChart)
        {
            throw MlflowException.Invalid($"GetMetricHistoryBulkInterval request must specify at most {MaxRunsPerChart} run_ids. Received {ids.Count} run_ids.");
        }
        var metrics = new List<RunMetric>();
        foreach (var runId in ids)
        {
            var run = await MlflowRuns.FindAsync(runs, runId, ct);
            var points = (await reader.PointPageAsync(await SeriesAsync(reader, run.Id, key, ct), null, descending: false, int.MaxValue, ct))
                .Where(p => p.Step >= from && p.Step <= to).ToList();
            var picked = points.Count <= size ? points
                : [.. Enumerable.Range(0, size).Select(i => points[(int)((long)i * (points.Count - 1) / (size - 1))]).Distinct()];
            metrics.AddRange(picked.Select(p => WithRun(key, p, run.Id)));
        }
        return new { metrics };
    }

    private static Task<List<MetricSeries>> SeriesAsync(MetricsReader reader, Guid runId, string key, CancellationToken ct)
    {
        var (metric, variant) = MlflowMapping.Series(key);
        return reader.SeriesAsync([runId], [new MetricSelector(metric, [variant])], ct);
    }

    private static List<Guid> RunIds(MlflowRequest request, string field) =>
        request.Strings(field) is { Count: > 0 } ids ? [.. ids.Select(MlflowMapping.RunId)]
        : throw MlflowException.Invalid($"Missing value for required parameter '{field}'.");

    private static Metric View(string key, MetricPoint point) =>
        new(key, point.Value, MlflowMapping.Millis(point.Timestamp), MlflowRunViews.Step(point.Step));

    private static RunMetric WithRun(string key, MetricPoint point, Guid runId) =>
        new(key, point.Value, MlflowMapping.Millis(point.Timestamp), MlflowRunViews.Step(point.Step), MlflowMapping.Id(runId));

    private static string Token(MetricPoint last) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{last.SeriesId},{last.Step},{last.Id}")));

    private static PointCursor? Cursor(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(',');
            return new PointCursor(long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw MlflowException.Invalid("Invalid page token");
        }
    }
}
