using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML task calls over several tasks at once, and the small remaining task calls (types, move, validate).</summary>
public static class TasksBatchEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("tasks.reset_many", ResetMany);
        api.MapAction("tasks.delete_many", DeleteMany);
        api.MapAction("tasks.publish_many", PublishMany);
        api.MapAction("tasks.get_by_id_ex", GetByIdEx);
        api.MapAction("tasks.get_types", GetTypes);
        api.MapAction("tasks.move", Move);
        api.MapAction("tasks.validate", Validate);
        api.MapAction("tasks.make_public", MakePublicOrPrivate);
        api.MapAction("tasks.make_private", MakePublicOrPrivate);
        api.MapAction("tasks.update_batch", UpdateBatch);
    }

    public sealed record ManyRequest(List<string>? Ids, bool Force, string? StatusReason, string? StatusMessage, bool ReturnFileUrls, bool PublishModel = true);

    public sealed record TypesRequest(List<string>? Projects);

    public sealed record TypesResponse(List<string> Types);

    public sealed record MoveRequest(List<string>? Ids, string? Project, string? ProjectName);

    public sealed record MoveResponse(string ProjectId);

    public sealed record UpdatedResponse(int Updated);

    public static Task<ClearMlBatch.ManyResponse> ResetMany(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<ManyRequest>();
        return ClearMlBatch.RunAsync(request.Ids, async (id, succeeded) =>
        {
            var queued = (await tasks.GetAsync(TasksEndpoints.TaskId(id), ct)).Status == ExperimentStatus.Queued;
            var change = await tasks.ResetAsync(TasksEndpoints.TaskId(id), request.Force, UserId(call), ct);
            succeeded["dequeued"] = queued;
            Cleanup(succeeded, request.ReturnFileUrls, []);
            succeeded["updated"] = 1;
            succeeded["fields"] = TasksEndpoints.StatusFields(change, change.Reason, change.Reason);
        });
    }

    public static Task<ClearMlBatch.ManyResponse> DeleteMany(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<ManyRequest>();
        return ClearMlBatch.RunAsync(request.Ids, async (id, succeeded) =>
        {
            var execution = (await tasks.GetAsync(TasksEndpoints.TaskId(id), ct)).Execution;
            await tasks.DeleteAsync(TasksEndpoints.TaskId(id), request.Force, ct);
            succeeded["deleted"] = true;
            Cleanup(succeeded, request.ReturnFileUrls, execution is null ? [] : ProjectsEndpoints.OutputArtifactUris(execution));
        });
    }

    /// <summary>
    /// ClearML's cleanup figures of a reset or deleted task, which the web UI reads. Models are neither deleted nor changed
    /// here and files stay in place, so <c>urls</c> lists only the output artifacts a deleted task leaves behind.
    /// </summary>
    private static void Cleanup(JsonObject succeeded, bool returnFileUrls, IEnumerable<string> artifactUrls)
    {
        succeeded["updated_children"] = 0;
        succeeded["updated_models"] = 0;
        succeeded["deleted_models"] = 0;
        succeeded["urls"] = returnFileUrls
            ? new JsonObject
            {
                ["model_urls"] = new JsonArray(),
                ["artifact_urls"] = new JsonArray([.. artifactUrls.Distinct().Select(u => JsonValue.Create(u))]),
                ["event_urls"] = new JsonArray(),
            }
            : null;
    }

    public static Task<ClearMlBatch.ManyResponse> PublishMany(ClearMlCall call, ExperimentRepository tasks, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<ManyRequest>();
        return ClearMlBatch.RunAsync(request.Ids, async (id, succeeded) =>
        {
            var change = await tasks.ChangeStatusAsync(
                TasksEndpoints.TaskId(id), ExperimentStatus.Published, request.Force, request.StatusReason, request.StatusMessage, UserId(call), ct);
            if (request.PublishModel)
            {
                await TasksEndpoints.PublishOutputModelAsync(tasks, models, TasksEndpoints.TaskId(id), ct);
            }
            succeeded["updated"] = 1;
            succeeded["fields"] = TasksEndpoints.StatusFields(change, request.StatusReason, request.StatusMessage);
        });
    }

    /// <summary>get_all_ex for given ids (required), hidden ones included.</summary>
    public static Task<TasksEndpoints.GetAllResponse> GetByIdEx(ClearMlCall call, Data.Replication.ReadSide reads, CancellationToken ct)
    {
        if (call.Fields["id"] is null)
        {
            throw ClearMlException.MissingRequiredFields("id");
        }
        return TasksEndpoints.GetAllEx(call, reads, ct);
    }

    public static async Task<TypesResponse> GetTypes(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var projects = call.Read<TypesRequest>().Projects?.Select(p => ClearMlErrors.ParseId(p, EntityKind.Project)).ToList();
        return new TypesResponse(await tasks.TypesAsync(projects, ct));
    }

    /// <summary>Moves tasks into a project given by id, or by name (created when missing).</summary>
    public static async Task<MoveResponse> Move(ClearMlCall call, ExperimentRepository tasks, ProjectRepository projects, CancellationToken ct)
    {
        var request = call.Read<MoveRequest>();
        var ids = (request.Ids ?? throw ClearMlException.MissingRequiredFields("ids")).Select(TasksEndpoints.TaskId).ToList();
        await tasks.RequireAllAsync(ids, ct); // a refused move creates no project
        var projectId = await ProjectsEndpoints.ResolveAsync(request.Project, request.ProjectName, projects, UserId(call), ct);
        foreach (var id in ids)
        {
            await tasks.UpdateAsync(id, new ExperimentChanges { ProjectId = projectId }, UserId(call), ct);
        }
        return new MoveResponse(projectId.ToString("N"));
    }

    /// <summary>Checks a tasks.create request without creating anything.</summary>
    public static object Validate(ClearMlCall call)
    {
        var request = call.Read<TasksEndpoints.CreateRequest>();
        _ = request.Name ?? throw ClearMlException.MissingField("name");
        _ = request.Type ?? throw ClearMlException.MissingField("type");
        return new JsonObject();
    }

    /// <summary>
    /// The bulk form of tasks.update: JSON lines (or an array) of <c>{task, name, comment, tags, system_tags, project, ...}</c>.
    /// Every task must exist before any changes (400/101 otherwise); the last line for a task wins; the answer counts the
    /// tasks that had something to change.
    /// </summary>
    public static async Task<UpdatedResponse> UpdateBatch(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var items = call.BatchItems();
        if (items.Count == 0)
        {
            throw new ClearMlException(400, 17, "Batch request contains no items");
        }
        var requests = new Dictionary<Guid, TasksEndpoints.EditRequest>();
        foreach (var item in items)
        {
            var request = ClearMlCall.WithFields(call.Http, (JsonObject)JsonNode.Parse(item.Span)!).Read<TasksEndpoints.EditRequest>();
            requests[TasksEndpoints.TaskId(request.Task)] = request;
        }
        await tasks.RequireAllAsync(requests.Keys, ct);
        var updated = 0;
        foreach (var (id, request) in requests)
        {
            var changes = TasksEndpoints.UpdateChanges(request);
            if (!changes.IsEmpty)
            {
                await tasks.UpdateAsync(id, changes, UserId(call), ct);
                updated++;
            }
        }
        return new UpdatedResponse(updated);
    }

    /// <summary>Tasks never leave their workspace here, so there is nothing to make public or private.</summary>
    public static UpdatedResponse MakePublicOrPrivate() => new(0);

    private static Guid UserId(ClearMlCall call) => call.Http.Caller().Identity.UserId;
}
