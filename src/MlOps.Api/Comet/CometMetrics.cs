using System.Globalization;
using System.Text.Json;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>Comet metrics: points of the shared time-series table (the series ClearML shows as scalars).</summary>
public static class CometMetrics
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/write/experiment/metric", Log);
        api.MapGet("/experiment/metrics/summary", Summary);
        api.MapGet("/experiment/metrics/get-metric", History);
    }

    public sealed record LogRequest(string? ExperimentKey, string? MetricName, JsonElement MetricValue, string? Context, long? Step, long? Epoch, long? Timestamp);

    public sealed record MessageResponse(string Msg);

    public sealed record SummaryValue(
        string Name, string ValueMax, string ValueMin, string ValueCurrent,
        long? TimestampMax, long? TimestampMin, long TimestampCurrent,
        long StepMax, long StepMin, long StepCurrent,
        string? RunContextMax, string? RunContextMin, string? RunContextCurrent);

    public sealed record SummaryResponse(List<SummaryValue> Values);

    public sealed record HistoryValue(string MetricName, string MetricValue, string? RunContext, long Step, long? Epoch, long Timestamp);

    public sealed record HistoryResponse(List<HistoryValue> Metrics);

    /// <summary>One point, acknowledged once committed with its series summary.</summary>
    public static async Task<MessageResponse> Log(HttpContext http, ExperimentRepository experiments, MetricsStore store, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<LogRequest>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var name = string.IsNullOrEmpty(request.MetricName) ? throw CometException.MissingField("metricName") : request.MetricName;
        var value = Number(request.MetricValue);
        if (!(await experiments.StatusesAsync([id], ct)).ContainsKey(id))
        {
            throw new CometException(404, "Experiment not found");
        }
        var (metric, variant) = CometMapping.Series(name, request.Context);
        var timestamp = request.Timestamp is { } ms ? CometMapping.Time(ms) : DateTime.UtcNow;
        await store.AppendAsync([new PointInput(id, metric, variant, request.Step ?? 0, request.Epoch, timestamp, value)], [], ct);
        return new MessageResponse("Saved");
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
                null, null, CometMapping.Millis(s.LastTimestamp),
                s.MaxStep, s.MinStep, s.LastStep,
                context, context, context);
        })]);
    }

    /// <summary>Every point of the metric (all its contexts), in step order.</summary>
    public static async Task<HistoryResponse> History(
        string? experimentKey, string? metricName, ExperimentRepository experiments, MetricsReader reader, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        await experiments.GetAsync(id, ct);
        var series = await reader.SeriesAsync([id], [new MetricSelector(metricName ?? throw CometException.MissingField("metricName"), null)], ct);
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

    /// <summary>Comet clients send metric values as JSON numbers or as numeric strings.</summary>
    private static double Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        JsonValueKind.Undefined or JsonValueKind.Null => throw CometException.MissingField("metricValue"),
        _ => throw CometException.BadRequest("metricValue must be a number"),
    };

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
