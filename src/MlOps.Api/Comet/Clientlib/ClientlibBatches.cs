using System.Text.Json;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet.Clientlib;

/// <summary>
/// What comet_ml batches up while a script runs (metrics and parameters, sent gzip-compressed every few seconds and at
/// the end) and its tags (the same handler as REST v2's). A batch is stored whole or not at all.
/// </summary>
public static class ClientlibBatches
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/batch/logger/experiment/metric", LogMetrics).Documents<MetricBatch>();
        api.MapPost("/batch/logger/experiment/parameter", LogParameters).Documents<ParameterBatch>();
        api.MapPost("/tags/add-tags-to-experiment", CometDetails.AddTags).Documents<CometDetails.TagsRequest>();
    }

    /// <summary>Each value has the fields of a single REST v2 metric (the SDK's own metric messages).</summary>
    public sealed record MetricBatch(string? ExperimentKey, List<CometMetrics.LogRequest>? Values);

    public sealed record ParameterItem(string? ParameterName, JsonElement ParameterValue, long? Step, string? Source, string? Context, long? Timestamp);

    public sealed record ParameterBatch(string? ExperimentKey, List<ParameterItem>? Values);

    public sealed record MessageResponse(string Msg);

    /// <summary>
    /// Points into the shared series, in one transaction with their summaries (system metrics are series too). A metric
    /// logged inside a context (<c>with experiment.train():</c>) is named with the context first, as comet_ml names it
    /// in its own summary (<c>train_loss</c>), and the context is its series.
    /// </summary>
    public static async Task<MessageResponse> LogMetrics(
        HttpContext http, ExperimentRepository experiments, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<MetricBatch>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var points = (request.Values ?? throw CometException.MissingField("values"))
            .Select(v => CometMetrics.Point(v with { MetricName = InContext(v.MetricName, v.Context) }, id, clock)).ToList();
        await CometMetrics.RequireExperimentAsync(experiments, id, ct);
        if (points.Count > 0)
        {
            await store.AppendAsync(points, [], ct, await IngestReceipts.OfAsync(http));
        }
        return new MessageResponse("Saved");
    }

    private static string? InContext(string? name, string? context) =>
        string.IsNullOrEmpty(context) || name is null || name.StartsWith(context + "_", StringComparison.Ordinal) ? name : $"{context}_{name}";

    /// <summary>The latest value of each parameter (a batch may carry several values of one, e.g. <c>curr_step</c>).</summary>
    public static async Task<MessageResponse> LogParameters(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<ParameterBatch>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var values = (request.Values ?? throw CometException.MissingField("values"))
            .Select(v =>
            {
                var name = string.IsNullOrEmpty(v.ParameterName) ? throw CometException.MissingField("values.parameterName") : v.ParameterName;
                var (section, parameter) = CometMapping.Parameter(name);
                return new ParameterValue(section, parameter, CometParameters.Text(v.ParameterValue) ?? "", null, null);
            })
            .GroupBy(v => (v.Section, v.Name)).Select(g => g.Last()).ToList();
        await CometMetrics.RequireExperimentAsync(experiments, id, ct);
        if (values.Count > 0)
        {
            await experiments.SetParametersAsync(id, ParameterKind.Hyperparameter, values, ParameterMerge.Merge,
                force: true, anyStatus: true, http.Caller().Identity.UserId, ct);
        }
        return new MessageResponse("Saved");
    }
}
