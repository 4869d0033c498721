using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// The writes: create, edit, a task's output model, tags, moves, ready/publish, archive and delete.
public static partial class ModelsEndpoints
{
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

    public sealed record SetReadyRequest(string? Model, bool ForcePublishTask, bool PublishTask = true);

    public sealed record DeleteRequest(string? Model, bool Force);

    public sealed record ManyRequest(List<string>? Ids, bool Force, bool ForcePublishTask, bool PublishTask = true);

    public sealed record CreateResponse(string Id, bool Created);

    public sealed record UpdateResponse(int Updated, JsonObject Fields);

    public sealed record UpdateForTaskResponse(string Id, bool Created, int? Updated = null, JsonObject? Fields = null);

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
        ClearMlCall call, ModelRepository models, ExperimentRepository tasks, TimeProvider clock, CancellationToken ct)
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
        await tasks.UpdateAsync(taskId, new ExperimentChanges { Models = TaskModels.WithOnlyOutput(task.Models, model.Id, clock.GetUtcNow().UtcDateTime) }, UserId(call), ct);
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
}
