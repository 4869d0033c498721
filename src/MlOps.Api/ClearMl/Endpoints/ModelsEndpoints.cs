using System.Text.Json.Nodes;
using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>models.*</c> over the shared models.</summary>
public static class ModelsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("models.create", Create);
        api.MapAction("models.get_by_id", GetById);
        api.MapAction("models.get_by_task_id", GetByTaskId);
        api.MapAction("models.get_all", GetAll);
        api.MapAction("models.get_all_ex", GetAllEx);
        api.MapAction("models.edit", Edit);
        api.MapAction("models.update", Edit);
        api.MapAction("models.update_for_task", UpdateForTask);
        api.MapAction("models.set_ready", SetReady);
        api.MapAction("models.publish_many", PublishMany);
        api.MapAction("models.archive_many", (ClearMlCall c, ModelRepository m, CancellationToken ct) => SetArchivedMany(c, m, true, ct));
        api.MapAction("models.unarchive_many", (ClearMlCall c, ModelRepository m, CancellationToken ct) => SetArchivedMany(c, m, false, ct));
        api.MapAction("models.delete", Delete);
        api.MapAction("models.delete_many", DeleteMany);
        api.MapAction("models.add_or_update_metadata", AddOrUpdateMetadata);
        api.MapAction("models.delete_metadata", DeleteMetadata);
        api.MapAction("models.get_by_id_ex", GetByIdEx);
        api.MapAction("models.get_frameworks", GetFrameworks);
        api.MapAction("models.update_tags", UpdateTags);
        api.MapAction("models.move", Move);
        api.MapAction("models.make_public", MakePublicOrPrivate);
        api.MapAction("models.make_private", MakePublicOrPrivate);
    }

    /// <summary>A ClearML model as <c>models.get_by_id</c> returns it; design, labels and metadata are always objects.</summary>
    public sealed record ModelDocument(
        string Id,
        string Name,
        string? User,
        string Company,
        DateTime Created,
        DateTime LastUpdate,
        string? Task,
        string? Parent,
        string? Project,
        string? Comment,
        IReadOnlyList<string> Tags,
        IReadOnlyList<string> SystemTags,
        string? Framework,
        JsonObject Design,
        JsonObject Labels,
        string Uri,
        bool Ready,
        JsonObject Metadata,
        long LastIteration)
    {
        public static ModelDocument From(Model m) => new(
            m.Id.ToString("N"),
            m.Name,
            m.UserId?.ToString("N"),
            m.WorkspaceId.ToString("N"),
            m.CreatedAt,
            m.LastUpdate,
            m.ExperimentId?.ToString("N"),
            m.ParentId?.ToString("N"),
            m.ProjectId?.ToString("N"),
            m.Comment,
            [.. m.Tags.Order(StringComparer.Ordinal)],
            [.. m.SystemTags.Order(StringComparer.Ordinal)],
            m.Framework,
            JsonText.ObjectOrEmpty(m.Design),
            JsonText.ObjectOrEmpty(m.Labels),
            m.Uri ?? "",
            m.Ready,
            JsonText.ObjectOrEmpty(m.Metadata),
            m.LastIteration ?? 0);
    }

    /// <summary>The model fields a client may set on create, edit and update.</summary>
    public record ModelFields
    {
        public string? Name { get; init; }
        public string? Uri { get; init; }
        public string? Comment { get; init; }
        public string? Framework { get; init; }
        public string? Project { get; init; }
        public string? Parent { get; init; }
        public string? Task { get; init; }
        public List<string>? Tags { get; init; }
        public List<string>? SystemTags { get; init; }
        public JsonObject? Design { get; init; }
        public Dictionary<string, int>? Labels { get; init; }
        public bool? Ready { get; init; }
        public Dictionary<string, MetadataEntry?>? Metadata { get; init; }
    }

    public sealed record CreateRequest : ModelFields;

    public sealed record EditRequest : ModelFields
    {
        public string? Model { get; init; }
        public long? Iteration { get; init; }
    }

    public sealed record UpdateForTaskRequest(
        string? Task, string? Uri, string? OverrideModelId, string? Name, string? Comment,
        List<string>? Tags, List<string>? SystemTags, long? Iteration);

    public sealed record ModelRequest(string? Model);

    public sealed record TaskRequest(string? Task);

    public sealed record SetReadyRequest(string? Model, bool ForcePublishTask, bool PublishTask = true);

    public sealed record DeleteRequest(string? Model, bool Force);

    public sealed record ManyRequest(List<string>? Ids, bool Force, bool ForcePublishTask, bool PublishTask = true);


    public sealed record MetadataRequest(string? Model, List<MetadataEntry?>? Metadata, bool ReplaceMetadata);

    public sealed record DeleteMetadataRequest(string? Model, List<string>? Keys);

    public sealed record GetAllRequest : ListRequest
    {
        public List<string>? Project { get; init; }
        public List<string>? Task { get; init; }
        public List<string>? Parent { get; init; }
        public List<string>? User { get; init; }
        public List<string>? Framework { get; init; }
        public List<string>? Uri { get; init; }
        public bool? Ready { get; init; }
        public string? SearchText { get; init; }
    }

    public sealed record CreateResponse(string Id, bool Created);

    public sealed record GetByIdResponse(ModelDocument Model);

    public sealed record GetAllResponse(List<JsonObject> Models, string? ScrollId);

    public sealed record UpdateResponse(int Updated, JsonObject Fields);

    public sealed record UpdateForTaskResponse(string Id, bool Created, int? Updated = null, JsonObject? Fields = null);

    public sealed record UpdatedResponse(int Updated);

    public sealed record PublishedTask(string Id, UpdateResponse Data);

    public sealed record SetReadyResponse(int Updated, PublishedTask? PublishedTask);

    public sealed record DeleteResponse(bool Deleted, string? Url);


    public static async Task<CreateResponse> Create(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<CreateRequest>();
        var fields = Changes(request) with
        {
            Name = request.Name ?? throw ClearMlException.MissingField("name"),
            Uri = request.Uri ?? throw ClearMlException.MissingField("uri"),
            // ClearML's schema documents false, but the server defaults to true; clients that care (the SDK) send it.
            Ready = request.Ready ?? true,
        };
        var model = await models.CreateAsync(fields, UserId(call), ct);
        return new CreateResponse(model.Id.ToString("N"), true);
    }

    public static async Task<GetByIdResponse> GetById(ClearMlCall call, ModelRepository models, CancellationToken ct) =>
        new(ModelDocument.From(await models.GetAsync(ModelId(call.Read<ModelRequest>().Model), ct)));

    /// <summary>The task's last output model.</summary>
    public static async Task<GetByIdResponse> GetByTaskId(ClearMlCall call, ModelRepository models, ExperimentRepository tasks, CancellationToken ct)
    {
        var task = await tasks.GetAsync(TasksEndpoints.TaskId(call.Read<TaskRequest>().Task), ct);
        var model = TaskModels.LastOutput(task.Models)
            ?? throw new ClearMlException(400, 122, "Task is missing expected fields: field=models.output");
        return new(ModelDocument.From(await models.GetAsync(model, ct)));
    }

    public static Task<GetAllResponse> GetAll(ClearMlCall call, ModelRepository models, CancellationToken ct) => QueryAsync(call, models, null, ct);

    private static async Task<GetAllResponse> QueryAsync(ClearMlCall call, ModelRepository models, ClearMlReferences? references, CancellationToken ct)
    {
        var request = call.Read<GetAllRequest>();
        var window = request.Window();
        var found = await models.QueryAsync(new ModelQuery
        {
            Ids = request.Ids(),
            NamePattern = request.Name,
            ProjectIds = request.Project?.Select(p => ClearMlErrors.ParseId(p, EntityKind.Project)).ToList(),
            ExperimentIds = request.Task?.Select(TasksEndpoints.TaskId).ToList(),
            ParentIds = request.Parent?.Select(ModelId).ToList(),
            UserIds = request.User?.Select(u => ClearMlErrors.ParseId(u, EntityKind.User)).ToList(),
            Frameworks = request.Framework,
            Uris = request.Uri,
            Ready = request.Ready,
            Tags = request.TagFilter(),
            SystemTags = request.SystemTagFilter(),
            SearchText = request.SearchText,
            OrderBy = request.Ordering(),
            Page = window,
        }, ct);
        var documents = found.Select(m => ClearMlQuery.Document(ModelDocument.From(m))).ToList();
        if (references is not null)
        {
            await references.ExpandModelsAsync(documents, call.Http.Caller().Identity.WorkspaceName, ct);
        }
        return new GetAllResponse([.. documents.Select(d => ClearMlQuery.Project(d, request.OnlyFields))], request.NextScrollId(window, found.Count));
    }

    /// <summary>As get_all, with references (project, task, parent, user, company) as objects with their names.</summary>
    public static Task<GetAllResponse> GetAllEx(ClearMlCall call, ModelRepository models, ClearMlReferences references, CancellationToken ct) =>
        QueryAsync(call, models, references, ct);

    /// <summary>get_all_ex for given ids (required).</summary>
    public static Task<GetAllResponse> GetByIdEx(ClearMlCall call, ModelRepository models, ClearMlReferences references, CancellationToken ct) =>
        call.Fields["id"] is null ? throw ClearMlException.MissingRequiredFields("id") : GetAllEx(call, models, references, ct);

    public sealed record FrameworksRequest(List<string>? Projects);

    public sealed record FrameworksResponse(List<string> Frameworks);

    public static async Task<FrameworksResponse> GetFrameworks(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var projects = call.Read<FrameworksRequest>().Projects?.Select(p => ClearMlErrors.ParseId(p, EntityKind.Project)).ToList();
        return new FrameworksResponse(await models.FrameworksAsync(projects, ct));
    }

    public sealed record UpdateTagsRequest(List<string>? Ids, List<string>? AddTags, List<string>? RemoveTags);

    public static async Task<UpdatedResponse> UpdateTags(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<UpdateTagsRequest>();
        var ids = (request.Ids ?? throw ClearMlException.MissingField("ids")).Select(ModelId).ToList();
        foreach (var id in ids)
        {
            var model = await models.GetAsync(id, ct);
            var tags = model.Tags.Union(request.AddTags ?? []).Except(request.RemoveTags ?? []).ToList();
            await models.UpdateAsync(id, new ModelChanges { Tags = tags }, null, ct);
        }
        return new UpdatedResponse(ids.Count);
    }

    public sealed record MoveRequest(List<string>? Ids, string? Project, string? ProjectName);

    public sealed record MoveResponse(string ProjectId);

    /// <summary>Moves models into a project given by id, or by name (created when missing).</summary>
    public static async Task<MoveResponse> Move(ClearMlCall call, ModelRepository models, ProjectRepository projects, CancellationToken ct)
    {
        var request = call.Read<MoveRequest>();
        var ids = (request.Ids ?? throw ClearMlException.MissingRequiredFields("ids")).Select(ModelId).ToList();
        var projectId = await ProjectsEndpoints.ResolveAsync(request.Project, request.ProjectName, projects, UserId(call), ct);
        foreach (var id in ids)
        {
            await models.UpdateAsync(id, new ModelChanges { ProjectId = projectId }, null, ct);
        }
        return new MoveResponse(projectId.ToString("N"));
    }

    /// <summary>
    /// models.edit and models.update: sets each given field, design and labels replaced whole. An iteration
    /// advances the model's task. (update's schema allows a subset of edit's fields; the rest are accepted too.)
    /// </summary>
    public static async Task<UpdateResponse> Edit(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<EditRequest>();
        var changes = Changes(request);
        await models.UpdateAsync(ModelId(request.Model), changes, request.Iteration, ct);
        return new UpdateResponse(changes.IsEmpty ? 0 : 1, call.FieldsExcept("model", "iteration"));
    }

    /// <summary>
    /// ClearML's older way to record a task's output model: with <c>uri</c>, the task's current output model
    /// is updated, or else a new one made from the task (its name, project, framework, design and labels);
    /// with <c>override_model_id</c>, an existing model becomes the output.
    /// </summary>
    public static async Task<UpdateForTaskResponse> UpdateForTask(
        ClearMlCall call, ModelRepository models, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<UpdateForTaskRequest>();
        var taskId = TasksEndpoints.TaskId(request.Task);
        if ((request.Uri is null) == (request.OverrideModelId is null))
        {
            throw new ClearMlException(400, 11, "Missing required fields: exactly one field is required: fields=(uri, override_model_id)");
        }
        var task = await models.GetExperimentTakingModelsAsync(taskId, ct);
        Model model;
        if (request.OverrideModelId is { } overrideId)
        {
            model = await models.GetAsync(ModelId(overrideId), ct);
        }
        else
        {
            var changes = new ModelChanges
            {
                Uri = request.Uri,
                Name = request.Name ?? task.Name,
                Comment = request.Comment ?? $"Created by task `{task.Name}` ({task.Id:N})",
                Tags = request.Tags,
                SystemTags = request.SystemTags,
                ExperimentId = taskId,
            };
            if (TaskModels.LastOutput(task.Models) is { } current)
            {
                await models.UpdateAsync(current, changes, request.Iteration, ct);
                return new UpdateForTaskResponse(current.ToString("N"), false, 1, call.FieldsExcept("task", "iteration"));
            }
            model = await models.CreateAsync(WithTaskDefinition(changes, task), UserId(call), ct);
        }
        if (request.Iteration is { } iteration)
        {
            await tasks.RaiseLastIterationAsync(taskId, iteration, ct);
        }
        await tasks.UpdateAsync(taskId, new ExperimentChanges { Models = TaskModels.WithOnlyOutput(task.Models, model.Id) }, UserId(call), ct);
        return new UpdateForTaskResponse(model.Id.ToString("N"), true);
    }

    /// <summary>Marks the model ready; unless <c>publish_task</c> is false, its task is published too.</summary>
    public static async Task<SetReadyResponse> SetReady(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<SetReadyRequest>();
        var published = await models.SetReadyAsync(ModelId(request.Model), request.PublishTask, request.ForcePublishTask, UserId(call), ct);
        return new SetReadyResponse(1, Published(published));
    }

    public static Task<ClearMlBatch.ManyResponse> PublishMany(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<ManyRequest>();
        return ForEach(request.Ids, async (id, succeeded) =>
        {
            var published = await models.SetReadyAsync(id, request.PublishTask, request.ForcePublishTask, UserId(call), ct);
            succeeded["updated"] = true;
            if (Published(published) is { } task)
            {
                succeeded["published_task"] = JsonSerializer.SerializeToNode(task, ClearMlJson.Options);
            }
        });
    }

    public static Task<ClearMlBatch.ManyResponse> SetArchivedMany(ClearMlCall call, ModelRepository models, bool archived, CancellationToken ct) =>
        ForEach(call.Read<ManyRequest>().Ids, async (id, succeeded) =>
        {
            await models.SetArchivedAsync(id, archived, ct);
            succeeded[archived ? "archived" : "unarchived"] = true;
        });

    public static async Task<DeleteResponse> Delete(ClearMlCall call, ModelRepository models, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<DeleteRequest>();
        return new DeleteResponse(true, await DeleteAsync(call, models, tasks, ModelId(request.Model), request.Force, ct));
    }

    public static Task<ClearMlBatch.ManyResponse> DeleteMany(ClearMlCall call, ModelRepository models, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<ManyRequest>();
        return ForEach(request.Ids, async (id, succeeded) =>
        {
            var url = await DeleteAsync(call, models, tasks, id, request.Force, ct);
            succeeded["deleted"] = true;
            succeeded["url"] = url;
        });
    }

    public static async Task<UpdatedResponse> AddOrUpdateMetadata(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<MetadataRequest>();
        var items = MetadataEntry.ToItems(request.Metadata) ?? throw ClearMlException.MissingField("metadata");
        await models.AddOrUpdateMetadataAsync(ModelId(request.Model), items, request.ReplaceMetadata, ct);
        return new UpdatedResponse(1);
    }

    public static async Task<UpdatedResponse> DeleteMetadata(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<DeleteMetadataRequest>();
        await models.DeleteMetadataAsync(ModelId(request.Model), request.Keys ?? throw ClearMlException.MissingField("keys"), ct);
        return new UpdatedResponse(1);
    }

    /// <summary>Models never leave their workspace here, so there is nothing to make public or private.</summary>
    public static UpdatedResponse MakePublicOrPrivate() => new(0);

    /// <summary>Deletes the model and takes it off its task's outputs; returns the URI of its weights.</summary>
    private static async Task<string?> DeleteAsync(
        ClearMlCall call, ModelRepository models, ExperimentRepository tasks, Guid id, bool force, CancellationToken ct)
    {
        var deleted = await models.DeleteAsync(id, force, ct);
        if (deleted.ExperimentId is { } taskId && TaskModels.WithoutOutput((await tasks.GetAsync(taskId, ct)).Models, id) is { } remaining)
        {
            await tasks.UpdateAsync(taskId, new ExperimentChanges { Models = remaining }, UserId(call), ct);
        }
        return deleted.Uri;
    }

    private static Task<ClearMlBatch.ManyResponse> ForEach(List<string>? ids, Func<Guid, JsonObject, Task> action) =>
        ClearMlBatch.RunAsync(ids, (id, succeeded) => action(ModelId(id), succeeded));

    private static PublishedTask? Published(PublishedExperiment? published) =>
        published is null
            ? null
            : new PublishedTask(published.Id.ToString("N"), new UpdateResponse(1, new JsonObject
            {
                ["status"] = TaskStatusNames.ToWire(published.Change.Status),
                ["status_reason"] = published.Change.Reason,
                ["status_changed"] = published.Change.ChangedAt,
                ["published"] = published.Change.PublishedAt,
                ["last_update"] = published.Change.ChangedAt,
            }));

    /// <summary>A new output model takes the task's project and the framework, design and labels its execution declares.</summary>
    private static ModelChanges WithTaskDefinition(ModelChanges changes, Experiment task)
    {
        var execution = JsonText.ObjectOrEmpty(task.Execution);
        return changes with
        {
            ProjectId = task.ProjectId,
            Framework = execution["framework"] is JsonValue framework && framework.TryGetValue<string>(out var name) ? name : null,
            Design = (execution["model_desc"] as JsonObject)?.ToJsonString(),
            Labels = (execution["model_labels"] as JsonObject)?.ToJsonString(),
        };
    }

    private static ModelChanges Changes(ModelFields request) => new()
    {
        Name = request.Name,
        Uri = request.Uri,
        Framework = request.Framework,
        Comment = request.Comment,
        Design = request.Design?.ToJsonString(),
        Labels = request.Labels is null ? null : JsonSerializer.Serialize(request.Labels),
        ProjectId = OptionalId(request.Project, EntityKind.Project),
        ExperimentId = OptionalId(request.Task, EntityKind.Experiment),
        ParentId = OptionalId(request.Parent, EntityKind.Model),
        Tags = request.Tags,
        SystemTags = request.SystemTags,
        Ready = request.Ready,
        Metadata = request.Metadata?.Select(p => new Data.Repositories.MetadataItem(p.Key, p.Value?.Type, p.Value?.Value)).ToList(),
    };

    private static Guid UserId(ClearMlCall call) => call.Http.Caller().Identity.UserId;

    private static Guid ModelId(string? id) =>
        id is null ? throw ClearMlException.MissingField("model") : ClearMlErrors.ParseId(id, EntityKind.Model);

    private static Guid? OptionalId(string? id, EntityKind entity) =>
        string.IsNullOrEmpty(id) ? null : ClearMlErrors.ParseId(id, entity);

}
