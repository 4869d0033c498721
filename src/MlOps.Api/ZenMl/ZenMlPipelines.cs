using System.Text.Json;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>Pipelines, their runs (shared experiments), deployments and schedules.</summary>
public static class ZenMlPipelines
{
    private sealed record PipelineRequest(string? Name, string? Description, string? Version, Guid? ProjectId, JsonElement? Spec);

    private sealed record PipelineOut(
        Guid Id, string Name, string? Description, string? Version, JsonElement? Spec, Guid ProjectId, Guid? UserId, DateTime Created, DateTime Updated);

    private sealed record PipelineRunRequest(
        string? Name, Guid? PipelineId, Guid? StackId, Guid? ProjectId, string? Status, DateTime? StartTime, DateTime? EndTime);

    private sealed record RunOut(
        Guid Id, string Name, Guid? PipelineId, Guid? StackId, string Status, DateTime? StartTime, DateTime? EndTime, Guid? UserId, DateTime Created);

    private sealed record PipelineDeploymentRequest(Guid? PipelineId, Guid? StackId, string? Status);

    private sealed record DeploymentOut(Guid Id, Guid? PipelineId, Guid? StackId, string? Status, DateTime Created);

    private sealed record ScheduleRequest(
        string? Name, string? CronExpression, DateTime? StartTime, DateTime? EndTime, long? IntervalSeconds, bool? Active, Guid? PipelineId);

    private sealed record ScheduleOut(
        Guid Id, string Name, string? CronExpression, DateTime? StartTime, DateTime? EndTime, long? IntervalSeconds, bool Active, Guid? PipelineId, DateTime Created);

    private static readonly FieldFilters<Pipeline> PipelineFields = new FieldFilters<Pipeline>()
        .Add("id", p => p.Id).Add("name", p => p.Name).Add("version", p => p.Version).Add("project_id", p => p.ProjectId)
        .Add("user_id", p => p.UserId).Add("created", p => p.CreatedAt).Add("updated", p => p.LastUpdate);

    private static readonly FieldFilters<Experiment> RunFields = new FieldFilters<Experiment>()
        .Add("id", e => e.Id).Add("name", e => e.Name).Add("pipeline_id", e => e.PipelineId).Add("stack_id", e => e.StackId)
        .Add("project_id", e => e.ProjectId).Add("user_id", e => e.UserId)
        .Add("status", e => e.Status, status => ZenMlMapping.ExperimentStatusOf(status)?.ToString())
        .Add("start_time", e => e.StartedAt).Add("end_time", e => e.CompletedAt).Add("created", e => e.CreatedAt);

    private static readonly FieldFilters<PipelineDeployment> DeploymentFields = new FieldFilters<PipelineDeployment>()
        .Add("id", d => d.Id).Add("pipeline_id", d => d.PipelineId).Add("stack_id", d => d.StackId).Add("status", d => d.Status)
        .Add("created", d => d.CreatedAt);

    private static readonly FieldFilters<PipelineSchedule> ScheduleFields = new FieldFilters<PipelineSchedule>()
        .Add("id", s => s.Id).Add("name", s => s.Name).Add("pipeline_id", s => s.PipelineId).Add("active", s => s.Active)
        .Add("cron_expression", s => s.CronExpression).Add("start_time", s => s.StartTime).Add("end_time", s => s.EndTime)
        .Add("created", s => s.CreatedAt);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/pipelines", (HttpContext http, PipelineRepository pipelines) =>
            ZenMlApi.PageAsync(http, pipelines.Pipelines, PipelineFields, p => p.Id, Render));
        api.MapPost("/pipelines", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<PipelineRequest>(http);
            var draft = new PipelineDraft(ZenMlApi.Required(body.Name, "name"), body.Description, body.Version, body.ProjectId, ZenMlApi.JsonText(body.Spec, "spec"));
            return ZenMlApi.Created(Render(await pipelines.CreateAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<PipelineRequest>(ZenMlApi.Json);
        api.MapGet("/pipelines/{pipeline_id}", async (string pipeline_id, HttpContext http, PipelineRepository pipelines) =>
            Render(await pipelines.GetAsync(ZenMlApi.PathId(pipeline_id, "pipeline_id"), http.RequestAborted)));
        api.MapDelete("/pipelines/{pipeline_id}", async (string pipeline_id, HttpContext http, PipelineRepository pipelines) =>
        {
            await pipelines.DeleteAsync(ZenMlApi.PathId(pipeline_id, "pipeline_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/runs", (HttpContext http, PipelineRepository pipelines) =>
            ZenMlApi.PageAsync(http, pipelines.Runs, RunFields, e => e.Id, Render));
        api.MapPost("/runs", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<PipelineRunRequest>(http);
            var status = ZenMlApi.OneOf(body.Status, "status", ZenMlMapping.RunStatuses) ?? "initializing";
            var draft = new RunDraft(ZenMlApi.Required(body.Name, "name"), body.PipelineId, body.StackId, body.ProjectId,
                ZenMlMapping.ExperimentStatusOf(status)!.Value, ZenMlApi.Utc(body.StartTime), ZenMlApi.Utc(body.EndTime));
            return ZenMlApi.Created(Render(await pipelines.CreateRunAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<PipelineRunRequest>(ZenMlApi.Json);
        api.MapGet("/runs/{run_id}", async (string run_id, HttpContext http, PipelineRepository pipelines) =>
            Render(await pipelines.GetRunAsync(ZenMlApi.PathId(run_id, "run_id"), http.RequestAborted)));
        api.MapPut("/runs/{run_id}", async (string run_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var id = ZenMlApi.PathId(run_id, "run_id");
            var body = await ZenMlApi.ReadAsync<PipelineRunRequest>(http);
            var status = ZenMlMapping.ExperimentStatusOf(ZenMlApi.OneOf(body.Status, "status", ZenMlMapping.RunStatuses));
            var changes = new RunChanges(body.Name, status, ZenMlApi.Utc(body.StartTime), ZenMlApi.Utc(body.EndTime));
            return Render(await pipelines.UpdateRunAsync(id, changes, http.RequestAborted));
        }).Documents<PipelineRunRequest>(ZenMlApi.Json);
        api.MapDelete("/runs/{run_id}", async (string run_id, HttpContext http, PipelineRepository pipelines) =>
        {
            await pipelines.DeleteRunAsync(ZenMlApi.PathId(run_id, "run_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/deployments", (HttpContext http, PipelineRepository pipelines) =>
            ZenMlApi.PageAsync(http, pipelines.Deployments, DeploymentFields, d => d.Id, Render));
        api.MapPost("/deployments", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<PipelineDeploymentRequest>(http);
            var deployment = await pipelines.CreateDeploymentAsync(body.PipelineId, body.StackId, body.Status, ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return ZenMlApi.Created(Render(deployment));
        }).Documents<PipelineDeploymentRequest>(ZenMlApi.Json);
        api.MapGet("/deployments/{deployment_id}", async (string deployment_id, HttpContext http, PipelineRepository pipelines) =>
            Render(await pipelines.GetDeploymentAsync(ZenMlApi.PathId(deployment_id, "deployment_id"), http.RequestAborted)));
        api.MapDelete("/deployments/{deployment_id}", async (string deployment_id, HttpContext http, PipelineRepository pipelines) =>
        {
            await pipelines.DeleteDeploymentAsync(ZenMlApi.PathId(deployment_id, "deployment_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/schedules", (HttpContext http, PipelineRepository pipelines) =>
            ZenMlApi.PageAsync(http, pipelines.Schedules, ScheduleFields, s => s.Id, Render));
        api.MapPost("/schedules", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<ScheduleRequest>(http);
            ZenMlApi.Required(body.Name, "name");
            return ZenMlApi.Created(Render(await pipelines.CreateScheduleAsync(Draft(body), ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<ScheduleRequest>(ZenMlApi.Json);
        api.MapGet("/schedules/{schedule_id}", async (string schedule_id, HttpContext http, PipelineRepository pipelines) =>
            Render(await pipelines.GetScheduleAsync(ZenMlApi.PathId(schedule_id, "schedule_id"), http.RequestAborted)));
        api.MapPut("/schedules/{schedule_id}", async (string schedule_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var id = ZenMlApi.PathId(schedule_id, "schedule_id");
            var body = await ZenMlApi.ReadAsync<ScheduleRequest>(http);
            return Render(await pipelines.UpdateScheduleAsync(id, Draft(body), http.RequestAborted));
        }).Documents<ScheduleRequest>(ZenMlApi.Json);
        api.MapDelete("/schedules/{schedule_id}", async (string schedule_id, HttpContext http, PipelineRepository pipelines) =>
        {
            await pipelines.DeleteScheduleAsync(ZenMlApi.PathId(schedule_id, "schedule_id"), http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static ScheduleDraft Draft(ScheduleRequest body) =>
        new(body.Name, body.CronExpression, ZenMlApi.Utc(body.StartTime), ZenMlApi.Utc(body.EndTime), body.IntervalSeconds, body.Active, body.PipelineId);

    private static object Render(Pipeline p) =>
        new PipelineOut(p.Id, p.Name, p.Description, p.Version, ZenMlApi.JsonObject(p.Spec), p.ProjectId, p.UserId, p.CreatedAt, p.LastUpdate);

    private static object Render(Experiment e) =>
        new RunOut(e.Id, e.Name, e.PipelineId, e.StackId, ZenMlMapping.RunStatusOf(e.Status), e.StartedAt, e.CompletedAt, e.UserId, e.CreatedAt);

    private static object Render(PipelineDeployment d) => new DeploymentOut(d.Id, d.PipelineId, d.StackId, d.Status, d.CreatedAt);

    private static object Render(PipelineSchedule s) =>
        new ScheduleOut(s.Id, s.Name, s.CronExpression, s.StartTime, s.EndTime, s.IntervalSeconds, s.Active, s.PipelineId, s.CreatedAt);
}
