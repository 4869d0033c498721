using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML task calls that edit parts of the task document: artifacts (<c>execution.artifacts</c>),
/// model references (<c>models.input/output</c>), archiving (system tag), cloning, and the liveness ping.
/// </summary>
public static class TaskDocumentsEndpoints
{
    private const string OutputMode = "output";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("tasks.ping", Ping);
        api.MapAction("tasks.add_or_update_artifacts", AddOrUpdateArtifacts);
        api.MapAction("tasks.delete_artifacts", DeleteArtifacts);
        api.MapAction("tasks.add_or_update_model", AddOrUpdateModel);
        api.MapAction("tasks.delete_models", DeleteModels);
        api.MapAction("tasks.clone", Clone);
        api.MapAction("tasks.archive", Archive);
        api.MapAction("tasks.archive_many", (ClearMlCall c, ExperimentRepository t, CancellationToken ct) => SetArchivedMany(c, t, true, ct));
        api.MapAction("tasks.unarchive_many", (ClearMlCall c, ExperimentRepository t, CancellationToken ct) => SetArchivedMany(c, t, false, ct));
        api.MapAction("tasks.update_tags", UpdateTags);
    }

    public sealed record ArtifactsRequest(string? Task, List<JsonObject>? Artifacts);

    public sealed record ModelRequest(string? Task, string? Name, string? Model, string? Type, long? Iteration);

    public sealed record ModelKey(string? Name, string? Type);

    public sealed record DeleteModelsRequest(string? Task, List<ModelKey>? Models);

    public sealed record CloneRequest(
        string? Task,
        string? NewTaskName,
        string? NewTaskComment,
        List<string>? NewTaskTags,
        List<string>? NewTaskSystemTags,
        string? NewTaskParent,
        string? NewTaskProject,
        JsonObject? ExecutionOverrides);

    public sealed record ArchiveRequest(List<string>? Tasks);

    public sealed record UpdatedResponse(int Updated);

    public sealed record DeletedResponse(int Deleted);

    public sealed record CloneResponse(string Id);

    public sealed record ArchiveResponse(int Archived);

    public sealed record UpdateTagsRequest(List<string>? Ids, List<string>? AddTags, List<string>? RemoveTags);

    public static async Task<object> Ping(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        await tasks.RecordActivityAsync(TasksEndpoints.TaskId(call.Read<TasksEndpoints.TaskRequest>().Task), ct);
        return new { };
    }

    /// <summary>Artifacts are kept in <c>execution.artifacts</c>, one per (key, mode); a new one replaces the old.</summary>
    public static async Task<UpdatedResponse> AddOrUpdateArtifacts(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<ArtifactsRequest>();
        var given = request.Artifacts ?? throw ClearMlException.MissingField("artifacts");
        if (given.Any(a => a["key"] is not JsonValue))
        {
            throw ClearMlException.MissingField("artifacts.key");
        }
        var id = TasksEndpoints.TaskId(request.Task);
        await EditExecutionAsync(call, tasks, id, execution =>
        {
            var artifacts = ArtifactsOf(execution);
            foreach (var artifact in given)
            {
                artifact["mode"] ??= OutputMode;
                var existing = artifacts.OfType<JsonObject>().FirstOrDefault(a => SameArtifact(a, artifact));
                if (existing is not null)
                {
                    artifacts.Remove(existing);
                }
                artifacts.Add(artifact.DeepClone());
            }
        }, ct);
        return new UpdatedResponse(given.Count);
    }

    public static async Task<DeletedResponse> DeleteArtifacts(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<ArtifactsRequest>();
        var keys = request.Artifacts ?? throw ClearMlException.MissingField("artifacts");
        var deleted = 0;
        await EditExecutionAsync(call, tasks, TasksEndpoints.TaskId(request.Task), execution =>
        {
            var artifacts = ArtifactsOf(execution);
            foreach (var key in keys)
            {
                key["mode"] ??= OutputMode;
                var doomed = artifacts.OfType<JsonObject>().Where(a => SameArtifact(a, key)).ToList();
                doomed.ForEach(a => artifacts.Remove(a));
                deleted += doomed.Count;
            }
        }, ct);
        return new DeletedResponse(deleted);
    }

    /// <summary>Records that the task used (input) or produced (output) a model, under a name unique per type.</summary>
    public static async Task<UpdatedResponse> AddOrUpdateModel(ClearMlCall call, ExperimentRepository tasks, TimeProvider clock, CancellationToken ct)
    {
        var request = call.Read<ModelRequest>();
        var type = ModelType(request.Type ?? throw ClearMlException.MissingField("type"));
        var name = request.Name ?? throw ClearMlException.MissingField("name");
        var model = request.Model ?? throw ClearMlException.MissingField("model");
        var id = TasksEndpoints.TaskId(request.Task);
        await EditModelsAsync(call, tasks, id, models =>
        {
            var list = models[type] as JsonArray ?? [];
            models[type] = list;
            var entry = new JsonObject { ["name"] = name, ["model"] = model, ["updated"] = clock.GetUtcNow().UtcDateTime };
            var index = list.OfType<JsonObject>().ToList().FindIndex(m => (string?)m["name"] == name);
            if (index >= 0)
            {
                list[index] = entry;
            }
            else
            {
                list.Add(entry);
            }
        }, ct);
        if (request.Iteration is { } iteration)
        {
            await tasks.RaiseLastIterationAsync(id, iteration, ct);
        }
        return new UpdatedResponse(1);
    }

    public static async Task<UpdatedResponse> DeleteModels(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<DeleteModelsRequest>();
        var keys = request.Models ?? throw ClearMlException.MissingField("models");
        await EditModelsAsync(call, tasks, TasksEndpoints.TaskId(request.Task), models =>
        {
            foreach (var key in keys)
            {
                if (models[ModelType(key.Type ?? throw ClearMlException.MissingField("models.type"))] is JsonArray list)
                {
                    foreach (var doomed in list.OfType<JsonObject>().Where(m => (string?)m["name"] == key.Name).ToList())
                    {
                        list.Remove(doomed);
                    }
                }
            }
        }, ct);
        return new UpdatedResponse(1);
    }

    /// <summary>
    /// A new draft with the source's definition (script, parameters, configuration, container, input
    /// models, input artifacts), under the source as parent unless another parent is given.
    /// </summary>
    public static async Task<CloneResponse> Clone(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<CloneRequest>();
        var clone = await CloneAsync(call, tasks, TasksEndpoints.TaskId(request.Task), request, null, ct);
        return new CloneResponse(clone.Id.ToString("N"));
    }

    /// <summary>The clone itself; <paramref name="hyperparameterOverrides"/> replace same-named values of the source.</summary>
    public static async Task<Experiment> CloneAsync(
        ClearMlCall call, ExperimentRepository tasks, Guid sourceId, CloneRequest request,
        IReadOnlyList<ParameterValue>? hyperparameterOverrides, CancellationToken ct)
    {
        var source = await tasks.GetAsync(sourceId, ct);
        var execution = JsonText.ObjectOrEmpty(source.Execution);
        foreach (var (key, value) in request.ExecutionOverrides ?? [])
        {
            execution[key] = value?.DeepClone();
        }
        execution.Remove("queue");
        execution["artifacts"] = new JsonArray([.. ArtifactsOf(execution).OfType<JsonObject>()
            .Where(a => (string?)a["mode"] is { } mode && mode != OutputMode)
            .Select(a => a.DeepClone())]);
        var models = JsonText.ObjectOrEmpty(source.Models);
        models.Remove("output");
        var output = JsonText.ObjectOrEmpty(source.Output);
        var draft = new ExperimentDraft(
            request.NewTaskName ?? source.Name,
            source.Type,
            request.NewTaskProject is { Length: > 0 } project ? ClearMlErrors.ParseId(project, EntityKind.Project) : source.ProjectId,
            request.NewTaskParent is { Length: > 0 } parent ? TasksEndpoints.TaskId(parent) : source.ParentId ?? source.Id,
            request.NewTaskComment ?? source.Comment,
            request.NewTaskTags ?? source.Tags,
            request.NewTaskSystemTags ?? [.. source.SystemTags.Where(t => t is not ("development" or ExperimentRepository.ArchivedTag))]);
        var overrides = hyperparameterOverrides ?? [];
        var definition = new ExperimentChanges
        {
            Script = source.Script,
            Container = source.Container,
            Execution = execution.ToJsonString(),
            Models = models.ToJsonString(),
            Output = output["destination"] is { } destination ? new JsonObject { ["destination"] = destination.DeepClone() }.ToJsonString() : null,
            Hyperparameters = [.. ValuesOf(source, ParameterKind.Hyperparameter)
                .Where(v => !overrides.Any(o => o.Section == v.Section && o.Name == v.Name))
                .Concat(overrides)],
            Configuration = ValuesOf(source, ParameterKind.Configuration),
        };
        return await tasks.CreateAsync(draft, definition, call.Http.Caller().Identity.UserId, ct);
    }

    public static async Task<ArchiveResponse> Archive(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var ids = (call.Read<ArchiveRequest>().Tasks ?? throw ClearMlException.MissingField("tasks")).Select(TasksEndpoints.TaskId).ToList();
        foreach (var id in ids)
        {
            await tasks.SetArchivedAsync(id, true, call.Http.Caller().Identity.UserId, ct);
        }
        return new ArchiveResponse(ids.Count);
    }

    public sealed record ManyRequest(List<string>? Ids);

    public static Task<ClearMlBatch.ManyResponse> SetArchivedMany(ClearMlCall call, ExperimentRepository tasks, bool archived, CancellationToken ct) =>
        ClearMlBatch.RunAsync(call.Read<ManyRequest>().Ids, async (id, succeeded) =>
        {
            await tasks.SetArchivedAsync(TasksEndpoints.TaskId(id), archived, call.Http.Caller().Identity.UserId, ct);
            succeeded[archived ? "archived" : "unarchived"] = true;
        });

    /// <summary>Adds and removes (user) tags on several tasks at once.</summary>
    public static async Task<UpdatedResponse> UpdateTags(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<UpdateTagsRequest>();
        var ids = (request.Ids ?? throw ClearMlException.MissingField("ids")).Select(TasksEndpoints.TaskId).ToList();
        foreach (var id in ids)
        {
            var task = await tasks.GetAsync(id, ct);
            var tags = task.Tags.Union(request.AddTags ?? []).Except(request.RemoveTags ?? []).ToList();
            await tasks.UpdateAsync(id, new ExperimentChanges { Tags = tags }, call.Http.Caller().Identity.UserId, ct);
        }
        return new UpdatedResponse(ids.Count);
    }

    private static async Task EditExecutionAsync(ClearMlCall call, ExperimentRepository tasks, Guid id, Action<JsonObject> edit, CancellationToken ct)
    {
        var execution = JsonText.ObjectOrEmpty((await tasks.GetAsync(id, ct)).Execution);
        edit(execution);
        await tasks.UpdateAsync(id, new ExperimentChanges { Execution = execution.ToJsonString() }, call.Http.Caller().Identity.UserId, ct);
    }

    private static async Task EditModelsAsync(ClearMlCall call, ExperimentRepository tasks, Guid id, Action<JsonObject> edit, CancellationToken ct)
    {
        var models = JsonText.ObjectOrEmpty((await tasks.GetAsync(id, ct)).Models);
        edit(models);
        await tasks.UpdateAsync(id, new ExperimentChanges { Models = models.ToJsonString() }, call.Http.Caller().Identity.UserId, ct);
    }

    private static JsonArray ArtifactsOf(JsonObject execution)
    {
        if (execution["artifacts"] is not JsonArray artifacts)
        {
            artifacts = [];
            execution["artifacts"] = artifacts;
        }
        return artifacts;
    }

    private static bool SameArtifact(JsonObject a, JsonObject b) =>
        (string?)a["key"] == (string?)b["key"] && ((string?)a["mode"] ?? OutputMode) == ((string?)b["mode"] ?? OutputMode);

    private static string ModelType(string type) =>
        type is "input" or "output" ? type : throw ClearMlException.Validation($"model type must be input or output, not '{type}'");

    private static List<ParameterValue> ValuesOf(Experiment task, ParameterKind kind) =>
        [.. task.Parameters.Where(p => p.Kind == kind).Select(p => new ParameterValue(p.Section, p.Name, p.Value, p.Type, p.Description))];

}
