using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ZenMl;

/// <summary>Pipelines (with their latest run) and schedules.</summary>
public static class ZenMlPipelines
{
    private sealed record PipelineRequest(string? Name, string? Description, string? Version, Guid? ProjectId, JsonElement? Spec);

    private sealed record PipelineOut(
        Guid Id, string Name, string? Description, string? Version, JsonElement? Spec, Guid ProjectId, Guid? UserId, DateTime Created, DateTime Updated);

    private sealed record PipelineBody(DateTime Created, DateTime Updated, Guid? UserId, Guid ProjectId);

    private sealed record PipelineMetadata(string? Description);

    private sealed record ScheduleRequest(
        string? Name, string? CronExpression, DateTime? StartTime, DateTime? EndTime, long? IntervalSeconds, bool? Active, Guid? PipelineId);

    private sealed record ScheduleOut(
        Guid Id, string Name, string? CronExpression, DateTime? StartTime, DateTime? EndTime, long? IntervalSeconds, bool Active, Guid? PipelineId, DateTime Created);

    private sealed record ScheduleBody(
        DateTime Created, DateTime Updated, Guid? UserId, Guid? ProjectId, bool Active, string? CronExpression, DateTime? StartTime,
        DateTime? EndTime, string? IntervalSecond, bool Catchup, bool IsArchived);

    private sealed record ScheduleMetadata(string? OrchestratorId, Guid? PipelineId, JsonObject RunMetadata);

    private sealed record LatestRun(Guid PipelineId, Guid Id, ExperimentStatus Status, Guid? UserId, DateTime Created);

    private static FieldFilters<Pipeline> PipelineFields(PipelineRepository pipelines) => new FieldFilters<Pipeline>()
        .Add("id", p => p.Id).Add("name", p => p.Name).Add("version", p => p.Version).Add("project_id", p => p.ProjectId)
        .Add("user_id", p => p.UserId).Add("user", p => p.UserId).Add("created", p => p.CreatedAt).Add("updated", p => p.LastUpdate)
        .Add("latest_run", p => pipelines.Runs.Where(r => r.PipelineId == p.Id).Max(r => (DateTime?)r.CreatedAt));

    private static readonly FieldFilters<PipelineSchedule> ScheduleFields = new FieldFilters<PipelineSchedule>()
        .Add("id", s => s.Id).Add("name", s => s.Name).Add("pipeline_id", s => s.PipelineId).Add("active", s => s.Active)
        .Add("cron_expression", s => s.CronExpression).Add("start_time", s => s.StartTime).Add("end_time", s => s.EndTime)
        .Add("user_id", s => s.UserId).Add("created", s => s.CreatedAt).Add("updated", s => s.LastUpdate);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/pipelines", async (HttpContext http, ReadSide reads) =>
        {
            var pipelines = await reads.GetAsync<PipelineRepository>(http.RequestAborted);
            var latest = await LatestRunsAsync(pipelines, http.RequestAborted);
            return await ZenMlApi.PageAsync(http, pipelines.Pipelines, PipelineFields(pipelines), p => p.Id, p => Render(http, p, latest));
        });
        api.MapPost("/pipelines", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<PipelineRequest>(http);
            var draft = new PipelineDraft(ZenMlApi.Required(body.Name, "name"), body.Description, body.Version, body.ProjectId, ZenMlApi.JsonText(body.Spec, "spec"));
            return ZenMlApi.Created(Render(http, await pipelines.CreateAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted), []));
        }).Documents<PipelineRequest>(ZenMlApi.Json);
        api.MapGet("/pipelines/{pipeline_id}", async (string pipeline_id, HttpContext http, PipelineRepository pipelines) =>
            Render(http, await pipelines.GetAsync(ZenMlApi.PathId(pipeline_id, "pipeline_id"), http.RequestAborted),
                await LatestRunsAsync(pipelines, http.RequestAborted)));
        api.MapDelete("/pipelines/{pipeline_id}", async (string pipeline_id, HttpContext http, PipelineRepository pipelines) =>
        {
            await pipelines.DeleteAsync(ZenMlApi.PathId(pipeline_id, "pipeline_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/schedules", async (HttpContext http, ReadSide reads) =>
        {
            var pipelines = await reads.GetAsync<PipelineRepository>(http.RequestAborted);
            return await ZenMlApi.PageAsync(http, pipelines.Schedules, ScheduleFields, s => s.Id, s => Render(http, s));
        });
        api.MapPost("/schedules", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<ScheduleRequest>(http);
            ZenMlApi.Required(body.Name, "name");
            return ZenMlApi.Created(Render(http, await pipelines.CreateScheduleAsync(Draft(body), ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<ScheduleRequest>(ZenMlApi.Json);
        api.MapGet("/schedules/{schedule_id}", async (string schedule_id, HttpContext http, PipelineRepository pipelines) =>
            Render(http, await pipelines.GetScheduleAsync(ZenMlApi.PathId(schedule_id, "schedule_id"), http.RequestAborted)));
        api.MapPut("/schedules/{schedule_id}", async (string schedule_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var id = ZenMlApi.PathId(schedule_id, "schedule_id");
            var body = await ZenMlApi.ReadAsync<ScheduleRequest>(http);
            return Render(http, await pipelines.UpdateScheduleAsync(id, Draft(body), http.RequestAborted));
        }).Documents<ScheduleRequest>(ZenMlApi.Json);
        api.MapDelete("/schedules/{schedule_id}", async (string schedule_id, HttpContext http, PipelineRepository pipelines) =>
        {
            await pipelines.DeleteScheduleAsync(ZenMlApi.PathId(schedule_id, "schedule_id"), http.RequestAborted);
            return Results.NoContent();
        });
    }

    /// <summary>A pipeline as another entity's <c>resources.pipeline</c>: its body, no metadata.</summary>
    public static JsonObject Nested(HttpContext http, Pipeline p)
    {
        var pipeline = ZenMlView.Node(new { id = p.Id, name = p.Name });
        pipeline["body"] = ZenMlView.Node(new PipelineBody(p.CreatedAt, p.LastUpdate, p.UserId, p.ProjectId));
        pipeline["resources"] = ZenMlView.Of(http).Resources(p.UserId, new { tags = Array.Empty<object>() });
        return pipeline;
    }

    /// <summary>The newest run of each pipeline: one query for a whole listing.</summary>
    private static async Task<Dictionary<Guid, LatestRun>> LatestRunsAsync(PipelineRepository pipelines, CancellationToken ct)
    {
        var runs = await pipelines.Runs.Where(r => r.PipelineId != null)
            .Select(r => new LatestRun(r.PipelineId!.Value, r.Id, r.Status, r.UserId, r.CreatedAt)).ToListAsync(ct);
        return runs.GroupBy(r => r.PipelineId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Created)!);
    }

    private static ScheduleDraft Draft(ScheduleRequest body) =>
        new(body.Name, body.CronExpression, ZenMlApi.Utc(body.StartTime), ZenMlApi.Utc(body.EndTime), body.IntervalSeconds, body.Active, body.PipelineId);

    private static JsonObject Render(HttpContext http, Pipeline p, Dictionary<Guid, LatestRun> latest)
    {
        var view = ZenMlView.Of(http);
        var run = latest.GetValueOrDefault(p.Id);
        var resources = view.Resources(p.UserId, new
        {
            latest_run_id = run?.Id,
            latest_run_status = run is null ? null : ZenMlMapping.RunStatusOf(run.Status),
            latest_run_user = view.User(run?.UserId),
            tags = Array.Empty<object>(),
        });
        return view.Entity(
            new PipelineOut(p.Id, p.Name, p.Description, p.Version, ZenMlApi.JsonObject(p.Spec), p.ProjectId, p.UserId, p.CreatedAt, p.LastUpdate),
            new PipelineBody(p.CreatedAt, p.LastUpdate, p.UserId, p.ProjectId), new PipelineMetadata(p.Description), resources);
    }

    private static JsonObject Render(HttpContext http, PipelineSchedule s) =>
        ZenMlView.Of(http).Entity(
            new ScheduleOut(s.Id, s.Name, s.CronExpression, s.StartTime, s.EndTime, s.IntervalSeconds, s.Active, s.PipelineId, s.CreatedAt),
            new ScheduleBody(s.CreatedAt, s.LastUpdate, s.UserId, null, s.Active, s.CronExpression, s.StartTime, s.EndTime,
                s.IntervalSeconds is { } seconds ? TimeSpan.FromSeconds(seconds).ToString("c") : null, false, false),
            new ScheduleMetadata(null, s.PipelineId, []), ZenMlView.Of(http).Resources(s.UserId));
}
