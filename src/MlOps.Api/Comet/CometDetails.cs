using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>
/// Comet's per-experiment documents: tags, html, code, graph, system details, git (<see cref="CometGit"/>), and
/// console output. Output lines are ClearML console events, so each surface reads what the other wrote.
/// </summary>
public static class CometDetails
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/write/experiment/tags", AddTags).Documents<TagsRequest>();
        api.MapPost("/write/experiment/tags/delete", DeleteTags).Documents<TagsDeleteRequest>();
        api.MapGet("/experiment/tags", GetTags);
        api.MapPost("/write/experiment/html", SetHtml).Documents<HtmlRequest>();
        api.MapGet("/experiment/html", async (string? experimentKey, ExperimentRepository e, CancellationToken ct) => new HtmlResponse((await Get(experimentKey, e, ct)).Html));
        api.MapPost("/write/experiment/code", SetCode).Documents<CodeRequest>();
        api.MapGet("/experiment/code", async (string? experimentKey, ExperimentRepository e, CancellationToken ct) => new CodeResponse((await Get(experimentKey, e, ct)).Code));
        api.MapPost("/write/experiment/graph", SetGraph).Documents<GraphRequest>();
        api.MapGet("/experiment/graph", async (string? experimentKey, ExperimentRepository e, CancellationToken ct) => new GraphResponse((await Get(experimentKey, e, ct)).Graph));
        api.MapPost("/write/experiment/system-details", SetSystemDetails).Documents<JsonObject>();
        api.MapPost("/write/experiment/cloud-details", SetCloudDetails).Documents<JsonObject>();
        api.MapPost("/write/experiment/file-path", SetSystemDetails).Documents<JsonObject>();
        api.MapPost("/write/experiment/upload-text-sample", UploadTextSample).Documents<TextSampleRequest>();
        api.MapGet("/experiment/system-details", GetSystemDetails);
        api.MapPost("/write/experiment/output", LogOutput).Documents<OutputRequest>();
        api.MapGet("/experiment/output", GetOutput);
        CometGit.Map(api);
    }

    public sealed record MessageResponse(string Msg);

    public sealed record TagsRequest(string? ExperimentKey, List<string>? AddedTags);

    public sealed record TagsDeleteRequest(string? ExperimentKey, List<string>? Tags);

    public sealed record TagsResponse(List<string> Tags);

    public sealed record HtmlRequest(string? ExperimentKey, string? Html, bool Override);

    public sealed record HtmlResponse(string? Html);

    public sealed record CodeRequest(string? ExperimentKey, string? Code);

    public sealed record CodeResponse(string? Code);

    public sealed record GraphRequest(string? ExperimentKey, string? Graph);

    public sealed record GraphResponse(string? Graph);

    public sealed record OutputLine(string? Output, bool Stderr, long? LocalTimestamp, long? Offset);

    public sealed record OutputRequest(string? ExperimentKey, string? Context, List<OutputLine>? OutputLines);

    public sealed record OutputResponse(string Output);

    public static async Task<MessageResponse> AddTags(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<TagsRequest>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var tags = (await experiments.GetAsync(id, ct)).Tags.Union(request.AddedTags ?? []).ToList();
        await experiments.UpdateAsync(id, new ExperimentChanges { Tags = tags }, http.Caller().Identity.UserId, ct);
        return new MessageResponse("Saved");
    }

    public static async Task<MessageResponse> DeleteTags(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<TagsDeleteRequest>(http);
        var doomed = request.Tags ?? throw CometException.MissingField("tags");
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var tags = (await experiments.GetAsync(id, ct)).Tags.Except(doomed).ToList();
        await experiments.UpdateAsync(id, new ExperimentChanges { Tags = tags }, http.Caller().Identity.UserId, ct);
        return new MessageResponse("Deleted");
    }

    public static async Task<TagsResponse> GetTags(string? experimentKey, ExperimentRepository experiments, CancellationToken ct) =>
        new([.. (await Get(experimentKey, experiments, ct)).Tags]);

    /// <summary>Replaces the HTML when <c>override</c>, else appends to it.</summary>
    public static async Task<MessageResponse> SetHtml(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<HtmlRequest>(http);
        var html = request.Html ?? throw CometException.MissingField("html");
        var experiment = await Get(request.ExperimentKey, experiments, ct);
        await Save(http, experiments, experiment.Id, new ExperimentChanges { Html = request.Override ? html : experiment.Html + html }, ct);
        return new MessageResponse("Saved");
    }

    public static async Task<MessageResponse> SetCode(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<CodeRequest>(http);
        await Save(http, experiments, CometApi.ExperimentKey(request.ExperimentKey), new ExperimentChanges { Code = request.Code ?? throw CometException.MissingField("code") }, ct);
        return new MessageResponse("Saved");
    }

    public static async Task<MessageResponse> SetGraph(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<GraphRequest>(http);
        await Save(http, experiments, CometApi.ExperimentKey(request.ExperimentKey), new ExperimentChanges { Graph = request.Graph ?? throw CometException.MissingField("graph") }, ct);
        return new MessageResponse("Saved");
    }

    /// <summary>Merges the given details (any subset of Comet's fields) into what is stored.</summary>
    public static async Task<MessageResponse> SetSystemDetails(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var given = await CometApi.ReadAsync<JsonObject>(http);
        var id = CometApi.ExperimentKey(given["experimentKey"] is JsonValue field && field.TryGetValue<string>(out var text) ? text : null);
        given.Remove("experimentKey");
        var stored = JsonText.ObjectOrEmpty((await experiments.GetAsync(id, ct)).SystemDetails);
        foreach (var (key, value) in given)
        {
            stored[key] = value?.DeepClone();
        }
        await Save(http, experiments, id, new ExperimentChanges { SystemDetails = stored.ToJsonString() }, ct);
        return new MessageResponse("Saved");
    }

    /// <summary>Cloud details are kept with the system details, by provider.</summary>
    public static async Task<MessageResponse> SetCloudDetails(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var given = await CometApi.ReadAsync<JsonObject>(http);
        var id = CometApi.ExperimentKey(given["experimentKey"] is JsonValue field && field.TryGetValue<string>(out var text) ? text : null);
        var provider = given["provider"] is JsonValue p && p.TryGetValue<string>(out var name) ? name : throw CometException.MissingField("provider");
        var stored = JsonText.ObjectOrEmpty((await experiments.GetAsync(id, ct)).SystemDetails);
        var clouds = stored["cloudDetails"] as JsonObject ?? [];
        clouds[provider] = given["metadata"]?.DeepClone();
        stored["cloudDetails"] = clouds;
        await Save(http, experiments, id, new ExperimentChanges { SystemDetails = stored.ToJsonString() }, ct);
        return new MessageResponse("Saved");
    }

    public sealed record TextSampleRequest(string? ExperimentKey, long? Step, string? Context, string? Metadata, string? Content);

    /// <summary>A text sample is a text event (ClearML's report_text shows the same kind of record).</summary>
    public static async Task<MessageResponse> UploadTextSample(HttpContext http, ExperimentRepository experiments, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<TextSampleRequest>(http);
        var experiment = await Get(request.ExperimentKey, experiments, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = new JsonObject
        {
            ["type"] = "text",
            ["task"] = CometApi.Key(experiment.Id),
            ["content"] = request.Content ?? throw CometException.MissingField("content"),
            ["context"] = request.Context,
            ["metadata"] = request.Metadata,
            ["iter"] = request.Step,
            ["timestamp"] = CometMapping.Millis(now),
        };
        await store.AppendAsync([], [new EventInput(experiment.Id, EventKind.Text, request.Step, request.Context, null, now, payload.ToJsonString())], ct);
        return new MessageResponse("Saved");
    }

    /// <summary>What was stored, with the names of the system metrics (<c>sys.*</c>) the experiment logged.</summary>
    public static async Task<JsonObject> GetSystemDetails(string? experimentKey, ExperimentRepository experiments, MetricsStore store, CancellationToken ct)
    {
        var experiment = await Get(experimentKey, experiments, ct);
        var details = JsonText.ObjectOrEmpty(experiment.SystemDetails);
        details["experimentKey"] = CometApi.Key(experiment.Id);
        details["systemMetricNames"] = new JsonArray([.. (await store.SummariesAsync([experiment.Id], ct))
            .Select(s => s.Metric).Where(m => m.StartsWith(CometMetrics.SystemMetricPrefix, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)
            .Select(m => (JsonNode)JsonValue.Create(m))]);
        return details;
    }

    /// <summary>Output lines become console events, which ClearML's console shows too.</summary>
    public static async Task<MessageResponse> LogOutput(HttpContext http, ExperimentRepository experiments, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<OutputRequest>(http);
        var experiment = await Get(request.ExperimentKey, experiments, ct);
        var lines = request.OutputLines ?? throw CometException.MissingField("outputLines");
        var now = clock.GetUtcNow().UtcDateTime;
        var events = lines.Select((line, index) =>
        {
            var timestamp = line.LocalTimestamp is { } ms ? CometMapping.Time(ms) : now.AddTicks(index);
            var payload = new JsonObject
            {
                ["type"] = "log",
                ["task"] = CometApi.Key(experiment.Id),
                ["level"] = line.Stderr ? "error" : "info",
                ["msg"] = line.Output ?? "",
                ["timestamp"] = CometMapping.Millis(timestamp),
            };
            return new EventInput(experiment.Id, EventKind.Log, null, null, null, timestamp, payload.ToJsonString());
        }).ToList();
        await store.AppendAsync([], events, ct, await IngestReceipts.OfAsync(http));
        return new MessageResponse("Saved");
    }

    /// <summary>The whole console output, in order, as one text.</summary>
    public static async Task<OutputResponse> GetOutput(string? experimentKey, ExperimentRepository experiments, MetricsReader reader, CancellationToken ct)
    {
        var experiment = await Get(experimentKey, experiments, ct);
        var text = new StringBuilder();
        for (EventCursor? after = null; ;)
        {
            var page = await reader.EventPageAsync(experiment.Id, EventKind.Log, null, after, false, 1000, ct);
            foreach (var line in page)
            {
                text.Append(JsonNode.Parse(line.Payload)?["msg"]?.GetValue<string>());
                text.Append('\n');
            }
            if (page.Count < 1000)
            {
                break;
            }
            after = new EventCursor(page[^1].Timestamp, page[^1].Id);
        }
        return new OutputResponse(text.ToString());
    }

    private static Task<Experiment> Get(string? experimentKey, ExperimentRepository experiments, CancellationToken ct) =>
        experiments.GetAsync(CometApi.ExperimentKey(experimentKey), ct);

    private static Task<Experiment> Save(HttpContext http, ExperimentRepository experiments, Guid id, ExperimentChanges changes, CancellationToken ct) =>
        experiments.UpdateAsync(id, changes, http.Caller().Identity.UserId, ct);

}
