using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ZenMl;

/// <summary>
/// Pipeline runs and their steps. A run is any top-level experiment, so what ClearML and Comet clients write shows
/// here too (README, "ZenML"); its steps are its child experiments, its DAG their nodes, its logs their console.
/// </summary>
public static class ZenMlRuns
{
    private sealed record RunRequest(
        string? Name, Guid? PipelineId, Guid? StackId, Guid? ProjectId, string? Status, DateTime? StartTime, DateTime? EndTime);

    private sealed record RunUpdate(string? Name, string? Status, DateTime? StartTime, DateTime? EndTime, List<string>? AddTags, List<string>? RemoveTags);

    private sealed record RunOut(
        Guid Id, string Name, Guid? PipelineId, Guid? StackId, string Status, DateTime? StartTime, DateTime? EndTime, Guid? UserId, DateTime Created);

    private sealed record RunBody(
        DateTime Created, DateTime Updated, Guid? UserId, Guid? ProjectId, string Status, bool InProgress, string? StatusReason, int Index,
        Guid? PipelineId);

    private sealed record RunMetadataPart(
        JsonObject RunMetadata, JsonObject Config, DateTime? StartTime, DateTime? EndTime, JsonObject ClientEnvironment,
        JsonObject OrchestratorEnvironment, bool IsTemplatable, bool EnableHeartbeat);

    private sealed record StepRequest(string? Name, Guid? PipelineRunId, string? Status, DateTime? StartTime, DateTime? EndTime);

    private sealed record StepBody(
        DateTime Created, DateTime Updated, Guid? UserId, Guid? ProjectId, string Status, int Version, bool IsRetriable, DateTime? StartTime,
        DateTime? EndTime, JsonObject Substitutions);

    private sealed record StepMetadata(
        JsonObject Config, JsonObject Spec, Guid PipelineRunId, Guid SnapshotId, List<Guid> ParentStepIds, JsonObject RunMetadata);

    private static readonly FieldFilters<Experiment> RunFields = new FieldFilters<Experiment>()
        .Add("id", e => e.Id).Add("name", e => e.Name).Add("pipeline_id", e => e.PipelineId).Add("stack_id", e => e.StackId)
        .Add("project_id", e => e.ProjectId).Add("user_id", e => e.UserId).Add("user", e => e.UserId)
        .Add("pipeline", e => e.PipelineId).Add("stack", e => e.StackId)
        .Add("status", e => e.Status, status => ZenMlMapping.ExperimentStatusOf(status)?.ToString())
        .Add("start_time", e => e.StartedAt).Add("end_time", e => e.CompletedAt).Add("created", e => e.CreatedAt).Add("updated", e => e.LastUpdate);

    private static readonly FieldFilters<Experiment> StepFields = new FieldFilters<Experiment>()
        .Add("id", e => e.Id).Add("name", e => e.Name).Add("pipeline_run_id", e => e.ParentId).Add("user_id", e => e.UserId)
        .Add("project_id", e => e.ProjectId)
        .Add("status", e => e.Status, status => ZenMlMapping.ExperimentStatusOf(status)?.ToString())
        .Add("start_time", e => e.StartedAt).Add("end_time", e => e.CompletedAt).Add("created", e => e.CreatedAt).Add("updated", e => e.LastUpdate);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/runs", async (HttpContext http, ReadSide reads) =>
        {
            var pipelines = await reads.GetAsync<PipelineRepository>(http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return await ZenMlApi.PageAsync(http, pipelines.Runs, RunFields, e => e.Id, e => Render(http, e));
        });
        api.MapPost("/runs", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<RunRequest>(http);
            var status = ZenMlApi.OneOf(body.Status, "status", ZenMlMapping.RunStatuses) ?? "initializing";
            var draft = new RunDraft(ZenMlApi.Required(body.Name, "name"), body.PipelineId, body.StackId, body.ProjectId,
                ZenMlMapping.ExperimentStatusOf(status)!.Value, ZenMlApi.Utc(body.StartTime), ZenMlApi.Utc(body.EndTime));
            var run = await pipelines.CreateRunAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return ZenMlApi.Created(Render(http, run));
        }).Documents<RunRequest>(ZenMlApi.Json);
        api.MapGet("/runs/{run_id}", async (string run_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var run = await pipelines.GetRunAsync(ZenMlApi.PathId(run_id, "run_id"), http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return Render(http, run);
        });
        api.MapPut("/runs/{run_id}", async (string run_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var id = ZenMlApi.PathId(run_id, "run_id");
            var body = await ZenMlApi.ReadAsync<RunUpdate>(http);
            var status = ZenMlMapping.ExperimentStatusOf(ZenMlApi.OneOf(body.Status, "status", ZenMlMapping.RunStatuses));
            var changes = new RunChanges(body.Name, status, ZenMlApi.Utc(body.StartTime), ZenMlApi.Utc(body.EndTime),
                ZenMlTags.Names(body.AddTags, "add_tags"), ZenMlTags.Names(body.RemoveTags, "remove_tags"));
            var run = await pipelines.UpdateRunAsync(id, changes, http.RequestAborted);
            await ZenMlTagRoutes.RegisterAsync(http, changes.AddTags, run.LastUpdate);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return Render(http, run);
        }).Documents<RunUpdate>(ZenMlApi.Json);
        api.MapDelete("/runs/{run_id}", async (string run_id, HttpContext http, PipelineRepository pipelines) =>
        {
            await pipelines.DeleteRunAsync(ZenMlApi.PathId(run_id, "run_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/steps", async (HttpContext http, ReadSide reads) =>
        {
            var pipelines = await reads.GetAsync<PipelineRepository>(http.RequestAborted);
            return await ZenMlApi.PageAsync(http, pipelines.Steps, StepFields, e => e.Id, e => RenderStep(http, e));
        });
        api.MapPost("/steps", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<StepRequest>(http);
            var status = ZenMlApi.OneOf(body.Status, "status", ZenMlMapping.RunStatuses) ?? "running";
            var draft = new StepDraft(ZenMlApi.Required(body.Name, "name"), body.PipelineRunId ?? throw ZenMlException.Invalid("field required", "body", "pipeline_run_id"),
                ZenMlMapping.ExperimentStatusOf(status)!.Value, ZenMlApi.Utc(body.StartTime), ZenMlApi.Utc(body.EndTime));
            return ZenMlApi.Created(RenderStep(http, await pipelines.CreateStepAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<StepRequest>(ZenMlApi.Json);
        api.MapGet("/steps/{step_id}", async (string step_id, HttpContext http, PipelineRepository pipelines) =>
            RenderStep(http, await pipelines.GetStepAsync(ZenMlApi.PathId(step_id, "step_id"), http.RequestAborted)));
        api.MapPut("/steps/{step_id}", async (string step_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var id = ZenMlApi.PathId(step_id, "step_id");
            var body = await ZenMlApi.ReadAsync<StepRequest>(http);
            var status = ZenMlMapping.ExperimentStatusOf(ZenMlApi.OneOf(body.Status, "status", ZenMlMapping.RunStatuses));
            return RenderStep(http, await pipelines.UpdateStepAsync(id, new RunChanges(body.Name, status, ZenMlApi.Utc(body.StartTime), ZenMlApi.Utc(body.EndTime)), http.RequestAborted));
        }).Documents<StepRequest>(ZenMlApi.Json);
        ZenMlRunGraph.Map(api);
        ZenMlRunControl.Map(api);
    }

    public static JsonObject Render(HttpContext http, Experiment e)
    {
        var view = ZenMlView.Of(http);
        var status = ZenMlMapping.RunStatusOf(e.Status);
        var pipeline = e.PipelineId is { } pipelineId && view.Pipelines.TryGetValue(pipelineId, out var p) ? ZenMlPipelines.Nested(http, p) : null;
        var stack = e.StackId is { } stackId && view.Stacks.TryGetValue(stackId, out var s) ? ZenMlStacks.Nested(http, s) : null;
        return view.Entity(
            new RunOut(e.Id, e.Name, e.PipelineId, e.StackId, status, e.StartedAt, e.CompletedAt, e.UserId, e.CreatedAt),
            new RunBody(e.CreatedAt, e.LastUpdate, e.UserId, e.ProjectId, status, status is "initializing" or "running", e.StatusReason, 0, e.PipelineId),
            new RunMetadataPart([], new JsonObject { ["name"] = e.Name }, e.StartedAt, e.CompletedAt, [], [], false, false),
            view.Resources(e.UserId, new { pipeline, stack, tags = e.Tags.Select(ZenMlTags.Nested).ToList() }));
    }

    public static JsonObject RenderStep(HttpContext http, Experiment e)
    {
        var view = ZenMlView.Of(http);
        var status = ZenMlMapping.RunStatusOf(e.Status);
        return view.Entity(
            new { id = e.Id, name = e.Name, pipeline_run_id = e.ParentId, status, start_time = e.StartedAt, end_time = e.CompletedAt, created = e.CreatedAt },
            new StepBody(e.CreatedAt, e.LastUpdate, e.UserId, e.ProjectId, status, 1, false, e.StartedAt, e.CompletedAt, []),
            new StepMetadata(new JsonObject { ["name"] = e.Name }, new JsonObject { ["inputs"] = new JsonObject(), ["upstream_steps"] = new JsonArray() },
                e.ParentId!.Value, e.ParentId!.Value, [], []),
            view.Resources(e.UserId, new { inputs = new JsonObject(), outputs = new JsonObject() }));
    }
}
