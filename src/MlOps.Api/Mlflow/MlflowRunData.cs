using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Hosting;
using MlOps.Api.Mlflow.Contracts;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.Mlflow;

/// <summary>
/// What a run logs: metrics (our series points), params (hyperparameters, immutable once logged, as in MLflow), tags
/// (see <see cref="MlflowMapping"/>) and dataset inputs. Every value of a request is checked before anything is written.
/// </summary>
public static class MlflowRunData
{
    private const int MaxMetricsPerBatch = 1000;
    private const int MaxParamsOrTagsPerBatch = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/runs/log-metric", LogMetric);
        api.MapPost("/runs/log-parameter", LogParameter);
        api.MapPost("/runs/set-tag", SetTag);
        api.MapPost("/runs/delete-tag", DeleteTag);
        api.MapPost("/runs/log-batch", LogBatch);
        api.MapPost("/runs/log-inputs", LogInputs);
        api.MapPost("/runs/log-model", LogModel);
    }

    private static async Task<object> LogMetric(HttpContext http, Caller caller, ExperimentRepository runs, PointBatcher batcher, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.ActiveAsync(runs, MlflowRuns.RunId(request), ct);
        if (Point(run.Id, request) is { } point)
        {
            await batcher.AppendAsync(caller.WorkspaceId, point, ct, await IngestReceipts.OfAsync(http));
        }
        return new { };
    }

    private static async Task<object> LogParameter(HttpContext http, Caller caller, ExperimentRepository runs, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.ActiveAsync(runs, MlflowRuns.RunId(request), ct);
        await WriteParamsAsync(runs, run, [Param(request)], caller, ct);
        return new { };
    }

    private static async Task<object> SetTag(HttpContext http, Caller caller, ExperimentRepository runs, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.ActiveAsync(runs, MlflowRuns.RunId(request), ct);
        await WriteTagsAsync(runs, run.Id, Tags([request]), caller, ct);
        return new { };
    }

    private static async Task<object> DeleteTag(HttpContext http, Caller caller, ExperimentRepository runs, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.ActiveAsync(runs, MlflowRuns.RunId(request), ct);
        var key = request.Required("key");
        var removed = 0;
        if (run.Tags.Contains(key))
        {
            await runs.UpdateAsync(run.Id, new ExperimentChanges { Tags = [.. run.Tags.Where(t => t != key)] }, caller.UserId, ct);
            removed++;
        }
        removed += await runs.DeleteParametersAsync(
            run.Id, ParameterKind.Hyperparameter, [(ExperimentParameter.PropertiesSection, key)], force: false, anyStatus: true, caller.UserId, ct);
        if (key == MlflowMapping.NoteTag && !string.IsNullOrEmpty(run.Comment))
        {
            await runs.UpdateAsync(run.Id, new ExperimentChanges { Comment = "" }, caller.UserId, ct);
            removed++;
        }
        return removed > 0 ? new { } : throw MlflowException.NotFound($"No tag with name: {key} in run with id {MlflowMapping.Id(run.Id)}");
    }

    private static async Task<object> LogBatch(HttpContext http, Caller caller, ExperimentRepository runs, MetricsStore store, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.ActiveAsync(runs, MlflowRuns.RunId(request), ct);
        var metrics = request.Objects("metrics");
        var parameters = request.Objects("params");
        var tags = request.Objects("tags");
        if (metrics.Count > MaxMetricsPerBatch || parameters.Count > MaxParamsOrTagsPerBatch || tags.Count > MaxParamsOrTagsPerBatch)
        {
            throw MlflowException.Invalid(
                $"A batch logging request can contain at most {MaxMetricsPerBatch} metrics, {MaxParamsOrTagsPerBatch} params and {MaxParamsOrTagsPerBatch} tags. " +
                $"Got {metrics.Count} metrics, {parameters.Count} params, and {tags.Count} tags.");
        }
        var points = metrics.Select(m => Point(run.Id, m)).OfType<PointInput>().ToList();
        var values = parameters.Select(Param).ToList();
        var tagValues = Tags(tags);
        await WriteParamsAsync(runs, run, values, caller, ct);
        await WriteTagsAsync(runs, run.Id, tagValues, caller, ct);
        if (points.Count > 0)
        {
            await store.AppendAsync(points, [], ct, await IngestReceipts.OfAsync(http));
        }
        return new { };
    }

    private static async Task<object> LogInputs(HttpContext http, Caller caller, ExperimentRepository runs, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.ActiveAsync(runs, MlflowRuns.RunId(request), ct);
        var inputs = request.Objects("datasets").Select(input =>
        {
            var dataset = DatasetOf(input.Object("dataset"));
            var stored = new DatasetInput(Tags(input.Objects("tags")).Select(t => new KeyValue(t.Key, t.Value)).ToList(), dataset);
            return new ParameterValue("", $"{MlflowRunViews.DatasetPrefix}{dataset.Name} ({dataset.Digest})", JsonSerializer.Serialize(stored, MlflowJson.Options), "json", null);
        }).ToList();
        if (inputs.Count > 0)
        {
            await runs.SetParametersAsync(run.Id, ParameterKind.Configuration, inputs, ParameterMerge.Merge, force: false, anyStatus: true, caller.UserId, ct);
        }
        return new { };
    }

    /// <summary>A model logged with the run (<c>mlflow.&lt;flavor&gt;.log_model</c>): appended to the run's model history tag, as MLflow keeps it.</summary>
    private static async Task<object> LogModel(HttpContext http, Caller caller, ExperimentRepository runs, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.ActiveAsync(runs, MlflowRuns.RunId(request), ct);
        var json = request.Required("model_json");
        JsonObject model;
        try
        {
            model = JsonNode.Parse(json) as JsonObject ?? throw MlflowException.Invalid($"Malformed model info: {json} is not a JSON object.");
        }
        catch (JsonException)
        {
            throw MlflowException.Invalid($"Malformed model info: {json} is not valid JSON.");
        }
        string[] required = ["artifact_path", "flavors", "utc_time_created", "run_id"];
        if (required.Where(f => !model.ContainsKey(f)).ToList() is { Count: > 0 } missing)
        {
            throw MlflowException.Invalid($"Model json is missing mandatory fields: {string.Join(", ", missing)}");
        }
        var logged = run.Parameters.FirstOrDefault(p => MlflowRunViews.IsProperty(p) && p.Name == MlflowMapping.LoggedModelsTag)?.Value;
        var history = logged is null ? [] : JsonNode.Parse(logged) as JsonArray ?? [];
        history.Add(model);
        await WriteTagsAsync(runs, run.Id, [KeyValuePair.Create(MlflowMapping.LoggedModelsTag, history.ToJsonString())], caller, ct);
        return new { };
    }

    private static Dataset DatasetOf(MlflowRequest dataset) =>
        new(
            MlflowApi.Value(dataset.Required("name"), MlflowApi.MaxNameLength, "Dataset name"), MlflowApi.Value(dataset.Required("digest"), 36, "Dataset digest"),
            dataset.Required("source_type"), MlflowApi.Value(dataset.Required("source"), 65535, "Dataset source"),
            dataset.String("schema"), dataset.String("profile"));

    /// <summary>
    /// The point a metric logs. Infinities are kept as the largest finite values, as MLflow's own SQL store keeps them;
    /// a NaN is checked and acknowledged but not stored (null), since SQLite cannot hold one and both databases must
    /// answer alike.
    /// </summary>
    private static PointInput? Point(Guid runId, MlflowRequest metric)
    {
        var key = MlflowApi.Key(metric.Required("key"), "Metric");
        var value = metric.Double("value") ?? throw MlflowException.Invalid("Missing value for required parameter 'value'.");
        var timestamp = metric.Long("timestamp") ?? throw MlflowException.Invalid("Missing value for required parameter 'timestamp'.");
        var step = metric.Long("step") ?? 0;
        var (series, variant) = MlflowMapping.Series(key);
        return double.IsNaN(value) ? null
            : new PointInput(runId, series, variant, step, null, MlflowMapping.Time(timestamp), Math.Clamp(value, double.MinValue, double.MaxValue));
    }

    private static (string Key, string Value) Param(MlflowRequest parameter) =>
        (MlflowApi.Key(parameter.Required("key"), "Param"), MlflowApi.Value(parameter.String("value"), MlflowApi.MaxParamValueLength, "Param"));

    /// <summary>Tags as sent, the later of two with one key winning; each key and value checked.</summary>
    public static List<KeyValuePair<string, string>> Tags(IEnumerable<MlflowRequest> tags) =>
        [.. tags.Select(t => KeyValuePair.Create(MlflowApi.Key(t.Required("key"), "Tag"), MlflowApi.Value(t.String("value"), MlflowApi.MaxTagValueLength, "Tag")))
            .Reverse().DistinctBy(t => t.Key).Reverse()];

    /// <summary>
    /// Params are immutable: logging one again with its value is fine, with another value an INVALID_PARAMETER_VALUE
    /// (checked, like everything else, before anything is written).
    /// </summary>
    private static async Task WriteParamsAsync(ExperimentRepository runs, Data.Entities.Experiment run, IReadOnlyList<(string Key, string Value)> values, Caller caller, CancellationToken ct)
    {
        var logged = run.Parameters.Where(p => p.Kind == ParameterKind.Hyperparameter && !MlflowRunViews.IsProperty(p))
            .ToDictionary(Platform.ParameterNames.Join, p => p.Value ?? "");
        foreach (var (key, value) in values)
        {
            var old = logged.TryGetValue(key, out var stored) ? stored : values.First(v => v.Key == key).Value;
            if (old != value)
            {
                throw MlflowException.Invalid(
                    $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}' for run ID='{MlflowMapping.Id(run.Id)}'. Attempted logging new value '{value}'.");
            }
        }
        if (values.Count > 0)
        {
            var rows = values.DistinctBy(v => v.Key).Select(v => Split(v.Key, v.Value)).ToList();
            await runs.SetParametersAsync(run.Id, ParameterKind.Hyperparameter, rows, ParameterMerge.Merge, force: false, anyStatus: true, caller.UserId, ct);
        }
    }

    private static ParameterValue Split(string key, string value)
    {
        var (section, name) = Platform.ParameterNames.Split(key);
        return new ParameterValue(section, name, value, null, null);
    }

    /// <summary>Tags onto the shared model: the name, the comment, plain tags (empty values) and properties (the rest).</summary>
    public static async Task WriteTagsAsync(ExperimentRepository runs, Guid runId, IReadOnlyList<KeyValuePair<string, string>> tags, Caller caller, CancellationToken ct)
    {
        if (tags.Count == 0)
        {
            return;
        }
        var run = await runs.GetAsync(runId, ct);
        var special = new HashSet<string> { MlflowMapping.RunNameTag, MlflowMapping.NoteTag };
        var plain = tags.Where(t => t.Value.Length == 0 && !special.Contains(t.Key)).Select(t => t.Key).ToList();
        var properties = tags.Where(t => t.Value.Length > 0 && !special.Contains(t.Key)).ToList();
        var changes = new ExperimentChanges
        {
            Name = tags.LastOrDefault(t => t.Key == MlflowMapping.RunNameTag) is { Key: not null, Value.Length: > 0 } named ? named.Value : null,
            Comment = tags.LastOrDefault(t => t.Key == MlflowMapping.NoteTag) is { Key: not null } note ? note.Value : null,
            Tags = plain.Count > 0 || properties.Any(p => run.Tags.Contains(p.Key))
                ? [.. run.Tags.Where(t => !properties.Any(p => p.Key == t)).Union(plain)]
                : null,
        };
        if (!changes.IsEmpty)
        {
            await runs.UpdateAsync(runId, changes, caller.UserId, ct);
        }
        if (properties.Count > 0)
        {
            await runs.SetParametersAsync(runId, ParameterKind.Hyperparameter,
                [.. properties.Select(p => new ParameterValue(ExperimentParameter.PropertiesSection, p.Key, p.Value, null, null))],
                ParameterMerge.Merge, force: false, anyStatus: true, caller.UserId, ct);
        }
        if (plain.Count > 0)
        {
            await runs.DeleteParametersAsync(runId, ParameterKind.Hyperparameter,
                [.. plain.Select(p => (ExperimentParameter.PropertiesSection, (string?)p))], force: false, anyStatus: true, caller.UserId, ct);
        }
    }
}
