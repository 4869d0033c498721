using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>tasks.*</c> over the shared experiments.</summary>
public static class TasksEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("tasks.create", Create);
        api.MapAction("tasks.get_by_id", GetById);
        api.MapAction("tasks.get_all", GetAll);
        api.MapAction("tasks.get_all_ex", GetAllEx);
        api.MapAction("tasks.edit", Edit);
        api.MapAction("tasks.update", Update);
        api.MapAction("tasks.set_requirements", SetRequirements);
        api.MapAction("tasks.delete", Delete);
        api.MapAction("tasks.started", Started);
        api.MapAction("tasks.stopped", (ClearMlCall c, ExperimentRepository r, CancellationToken ct) => Transition(c, r, ExperimentStatus.Stopped, ct));
        api.MapAction("tasks.failed", (ClearMlCall c, ExperimentRepository r, CancellationToken ct) => Transition(c, r, ExperimentStatus.Failed, ct));
        api.MapAction("tasks.close", (ClearMlCall c, ExperimentRepository r, CancellationToken ct) => Transition(c, r, ExperimentStatus.Closed, ct));
        api.MapAction("tasks.completed", Completed);
        api.MapAction("tasks.publish", Publish);
        api.MapAction("tasks.reset", Reset);
    }

    /// <summary>The task fields a client may set on create and edit.</summary>
    public record TaskFields
    {
        public string? Name { get; init; }
        public string? Type { get; init; }
        public string? Project { get; init; }
        public string? Parent { get; init; }
        public string? Comment { get; init; }
        public List<string>? Tags { get; init; }
        public List<string>? SystemTags { get; init; }
        public JsonObject? Script { get; init; }
        public JsonObject? Runtime { get; init; }
        public JsonObject? Execution { get; init; }
        public JsonObject? Container { get; init; }
        public JsonObject? Models { get; init; }
        public string? OutputDest { get; init; }
        public Dictionary<string, Dictionary<string, ParamItem>>? Hyperparams { get; init; }
        public Dictionary<string, ConfigurationItem>? Configuration { get; init; }
    }

    public sealed record CreateRequest : TaskFields;

    public sealed record EditRequest : TaskFields
    {
        public string? Task { get; init; }
        public bool Force { get; init; }
        public string? StatusReason { get; init; }
        public string? StatusMessage { get; init; }
    }

    public sealed record TaskRequest(string? Task);

    public sealed record StatusRequest(string? Task, bool Force, string? StatusReason, string? StatusMessage, bool Publish, bool PublishModel = true);

    public sealed record ResetRequest(string? Task, bool Force);

    public sealed record DeleteRequest(string? Task, bool Force);

    public sealed record SetRequirementsRequest(string? Task, JsonObject? Requirements);

    public sealed record GetAllRequest : ListRequest
    {
        [System.Text.Json.Serialization.JsonConverter(typeof(OneOrMany))]
        public List<string>? Project { get; init; }
        [System.Text.Json.Serialization.JsonConverter(typeof(OneOrMany))]
        public List<string>? Parent { get; init; }
        public List<string>? Status { get; init; }
        public List<string>? Type { get; init; }
        public List<string>? User { get; init; }
        public string? SearchText { get; init; }
    }

    public sealed record IdResponse(string Id);

    public sealed record GetByIdResponse(TaskDocument Task);

    public sealed record GetAllResponse(List<JsonObject> Tasks, string? ScrollId);

    public sealed record UpdateResponse(int Updated, JsonObject Fields);

    public sealed record StartedResponse(int Started, int Updated, JsonObject Fields);

    public sealed record CompletedResponse(int Updated, JsonObject Fields, int? Published);

    public sealed record DeleteResponse(bool Deleted, int UpdatedChildren, int UpdatedModels, JsonObject Events, JsonObject Urls);

    public sealed record ResetResponse(int Updated, JsonObject Fields, int DeletedModels, JsonObject Dequeued, JsonObject Events, JsonObject Urls);

    public static async Task<IdResponse> Create(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<CreateRequest>();
        var draft = new ExperimentDraft(
            request.Name ?? throw ClearMlException.MissingField("name"),
            request.Type ?? throw ClearMlException.MissingField("type"),
            OptionalId(request.Project, EntityKind.Project),
            OptionalId(request.Parent, EntityKind.Experiment),
            request.Comment,
            request.Tags,
            request.SystemTags);
        var created = await tasks.CreateAsync(draft, Changes(request, null), call.Http.Caller().Identity.UserId, ct);
        return new IdResponse(created.Id.ToString("N"));
    }

    public static async Task<GetByIdResponse> GetById(ClearMlCall call, ExperimentRepository tasks, MetricsStore metrics, CancellationToken ct)
    {
        var id = TaskId(call.Read<TaskRequest>().Task);
        var task = await tasks.GetAsync(id, ct);
        return new GetByIdResponse(TaskDocument.From(task, await metrics.SummariesAsync([id], ct)));
    }

    /// <summary>A list page: a heavy read, on the read side (the read replica when it may).</summary>
    public static async Task<GetAllResponse> GetAll(ClearMlCall call, ReadSide reads, CancellationToken ct) =>
        await QueryAsync(call, await reads.GetAsync<ExperimentRepository>(ct), await reads.GetAsync<MetricsStore>(ct), null, ct);

    /// <summary>As get_all, with references (project, parent, user, company, queue, models) as objects with their names.</summary>
    public static async Task<GetAllResponse> GetAllEx(ClearMlCall call, ReadSide reads, CancellationToken ct) =>
        await QueryAsync(call, await reads.GetAsync<ExperimentRepository>(ct), await reads.GetAsync<MetricsStore>(ct), await reads.GetAsync<ClearMlReferences>(ct), ct);

    private static async Task<GetAllResponse> QueryAsync(
        ClearMlCall call, ExperimentRepository tasks, MetricsStore metrics, ClearMlReferences? references, CancellationToken ct)
    {
        var request = call.Read<GetAllRequest>();
        var window = request.Window();
        var ordering = await LastMetricsOrder.ResolveAsync(request.Ordering(), tasks, ct);
        var found = await tasks.QueryAsync(QueryOf(request) with { Page = window, OrderBy = ordering, Documents = TaskDocument.DocumentsFor(request) }, ct);
        var series = request.Wants("last_metrics")
            ? (await metrics.SummariesAsync(found.Select(t => t.Id).ToList(), ct)).ToLookup(s => s.ExperimentId)
            : Enumerable.Empty<MetricSeries>().ToLookup(s => s.ExperimentId);
        var documents = found.Select(t => ClearMlQuery.Document(TaskDocument.From(t, series[t.Id]))).ToList();
        if (references is not null)
        {
            await references.ExpandTasksAsync(documents, call.Http.Caller().Identity.WorkspaceName, ct);
        }
        return new GetAllResponse([.. documents.Select(d => ClearMlQuery.Project(d, request.OnlyFields))], request.NextScrollId(window, found.Count));
    }

    /// <summary>The experiments a get_all request selects (its page aside).</summary>
    public static ExperimentQuery QueryOf(GetAllRequest request)
    {
        var statuses = ClearMlQuery.ParseValues(request.Status);
        var types = ClearMlQuery.ParseValues(request.Type);
        return new ExperimentQuery
        {
            Ids = request.Ids(),
            NamePattern = request.Name,
            ProjectIds = request.Project?.Select(p => ClearMlErrors.ParseId(p, EntityKind.Project)).ToList(),
            ParentIds = request.Parent?.Select(TaskId).ToList(),
            Statuses = statuses.Included.Select(TaskStatusNames.FromWire).ToList(),
            ExcludedStatuses = statuses.Excluded.Select(TaskStatusNames.FromWire).ToList(),
            Types = types.Included,
            ExcludedTypes = types.Excluded,
            UserIds = request.User?.Select(u => ClearMlErrors.ParseId(u, EntityKind.User)).ToList(),
            Tags = request.TagFilter(),
            SystemTags = request.SystemTagFilter(),
            SearchText = request.SearchText,
            OrderBy = request.Ordering(),
            IncludeParameters = request.Wants("hyperparams") || request.Wants("configuration"),
        };
    }

    /// <summary>
    /// Replaces each given field; like ClearML, the structured documents (script, execution, models)
    /// are merged key by key into what is stored, while dictionaries (runtime, hyperparams, ...) are replaced.
    /// </summary>
    public static async Task<UpdateResponse> Edit(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<EditRequest>();
        var id = TaskId(request.Task);
        var current = await tasks.GetAsync(id, ct);
        var changes = Changes(request, current) with
        {
            Name = request.Name,
            Type = request.Type,
            Comment = request.Comment,
            ProjectId = OptionalId(request.Project, EntityKind.Project),
            ParentId = OptionalId(request.Parent, EntityKind.Experiment),
            Tags = request.Tags,
            SystemTags = request.SystemTags,
            StatusReason = request.StatusReason,
            StatusMessage = request.StatusMessage,
        };
        await tasks.EditAsync(id, changes, request.Force, call.Http.Caller().Identity.UserId, ct);
        return new UpdateResponse(changes.IsEmpty ? 0 : 1, call.FieldsExcept("task", "force"));
    }

    /// <summary>Name, comment, tags and project: changes allowed in any status.</summary>
    public static async Task<UpdateResponse> Update(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<EditRequest>();
        var changes = UpdateChanges(request);
        await tasks.UpdateAsync(TaskId(request.Task), changes, call.Http.Caller().Identity.UserId, ct);
        return new UpdateResponse(changes.IsEmpty ? 0 : 1, call.FieldsExcept("task", "force"));
    }

    /// <summary>What tasks.update (and each line of tasks.update_batch) may change.</summary>
    public static ExperimentChanges UpdateChanges(EditRequest request) => new()
    {
        Name = request.Name,
        Comment = request.Comment,
        ProjectId = OptionalId(request.Project, EntityKind.Project),
        Tags = request.Tags,
        SystemTags = request.SystemTags,
        StatusReason = request.StatusReason,
        StatusMessage = request.StatusMessage,
    };

    public static async Task<UpdateResponse> SetRequirements(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<SetRequirementsRequest>();
        var requirements = request.Requirements ?? throw ClearMlException.MissingField("requirements");
        var id = TaskId(request.Task);
        var current = await tasks.GetAsync(id, ct);
        var script = JsonText.ObjectOrEmpty(current.Script);
        script["requirements"] = requirements.DeepClone();
        await tasks.UpdateAsync(id, new ExperimentChanges { Script = script.ToJsonString() }, call.Http.Caller().Identity.UserId, ct);
        return new UpdateResponse(1, new JsonObject { ["script.requirements"] = requirements.DeepClone() });
    }

    public static async Task<DeleteResponse> Delete(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<DeleteRequest>();
        await tasks.DeleteAsync(TaskId(request.Task), request.Force, ct);
        return new DeleteResponse(true, 0, 0, new JsonObject { ["deleted"] = 0 }, []);
    }

    public static async Task<StartedResponse> Started(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var change = await ChangeStatus(call, tasks, ExperimentStatus.InProgress, ct);
        return new StartedResponse(1, 1, change);
    }

    public static async Task<UpdateResponse> Transition(ClearMlCall call, ExperimentRepository tasks, ExperimentStatus target, CancellationToken ct) =>
        new(1, await ChangeStatus(call, tasks, target, ct));

    public static async Task<CompletedResponse> Completed(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<StatusRequest>();
        var fields = await ChangeStatus(call, tasks, ExperimentStatus.Completed, ct);
        if (!request.Publish)
        {
            return new CompletedResponse(1, fields, null);
        }
        var published = await ChangeStatus(call, tasks, ExperimentStatus.Published, ct);
        return new CompletedResponse(1, published, 1);
    }

    public static async Task<UpdateResponse> Publish(ClearMlCall call, ExperimentRepository tasks, ModelRepository models, CancellationToken ct)
    {
        var fields = await ChangeStatus(call, tasks, ExperimentStatus.Published, ct);
        var request = call.Read<StatusRequest>();
        if (request.PublishModel)
        {
            await PublishOutputModelAsync(tasks, models, TaskId(request.Task), ct);
        }
        return new(1, fields);
    }

    /// <summary>Publishing a task publishes its last output model too, as in ClearML (unless <c>publish_model</c> is false).</summary>
    public static async Task PublishOutputModelAsync(ExperimentRepository tasks, ModelRepository models, Guid task, CancellationToken ct)
    {
        if (TaskModels.LastOutput((await tasks.GetAsync(task, ct)).Models) is { } model)
        {
            await models.MarkReadyAsync(model, ct);
        }
    }

    public static async Task<ResetResponse> Reset(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<ResetRequest>();
        var change = await tasks.ResetAsync(TaskId(request.Task), request.Force, call.Http.Caller().Identity.UserId, ct);
        return new ResetResponse(1, StatusFields(change, change.Reason, change.Reason), 0, [], [], []);
    }

    private static async Task<JsonObject> ChangeStatus(ClearMlCall call, ExperimentRepository tasks, ExperimentStatus target, CancellationToken ct)
    {
        var request = call.Read<StatusRequest>();
        var change = await tasks.ChangeStatusAsync(
            TaskId(request.Task), target, request.Force, request.StatusReason, request.StatusMessage,
            call.Http.Caller().Identity.UserId, ct);
        return StatusFields(change, request.StatusReason, request.StatusMessage);
    }

    public static JsonObject StatusFields(StatusChange change, string? reason, string? message)
    {
        var fields = new JsonObject
        {
            ["status"] = TaskStatusNames.ToWire(change.Status),
            ["status_reason"] = reason ?? "",
            ["status_message"] = message ?? "",
            ["status_changed"] = change.ChangedAt,
            ["last_update"] = change.ChangedAt,
        };
        if (change.StartedAt is { } started)
        {
            fields["started"] = started;
        }
        if (change.CompletedAt is { } completed)
        {
            fields["completed"] = completed;
        }
        if (change.PublishedAt is { } published)
        {
            fields["published"] = published;
        }
        return fields;
    }

    private static ExperimentChanges Changes(TaskFields request, Experiment? current) => new()
    {
        Script = Merge(current?.Script, request.Script),
        Execution = Merge(current?.Execution, request.Execution),
        Models = Merge(current?.Models, request.Models),
        Output = request.OutputDest is null ? null : Merge(current?.Output, new JsonObject { ["destination"] = request.OutputDest }),
        Runtime = request.Runtime?.ToJsonString(),
        Container = request.Container?.ToJsonString(),
        Hyperparameters = request.Hyperparams?.SelectMany(section => section.Value.Select(p =>
            new ParameterValue(section.Key, p.Value.Name ?? p.Key, p.Value.Value, p.Value.Type, p.Value.Description))).ToList(),
        Configuration = request.Configuration?.Select(c =>
            new ParameterValue("", c.Value.Name ?? c.Key, c.Value.Value, c.Value.Type, c.Value.Description)).ToList(),
    };

    private static string? Merge(string? stored, JsonObject? given)
    {
        if (given is null)
        {
            return null;
        }
        var merged = JsonText.ObjectOrEmpty(stored);
        foreach (var (key, value) in given)
        {
            merged[key] = value?.DeepClone();
        }
        return merged.ToJsonString();
    }

    public static Guid TaskId(string? id) =>
        id is null ? throw ClearMlException.MissingField("task") : ClearMlErrors.ParseId(id, EntityKind.Experiment);

    private static Guid? OptionalId(string? id, EntityKind entity) =>
        string.IsNullOrEmpty(id) ? null : ClearMlErrors.ParseId(id, entity);
}
