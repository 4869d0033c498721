using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// The run page's buttons: stop a run (its unfinished steps with it) and refresh its status. Nothing here runs a
/// pipeline, so a refresh finds the status as the run's client last reported it; both answer ZenML's empty 200.
/// </summary>
public static class ZenMlRunControl
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/runs/{run_id}/stop", async (string run_id, HttpContext http, PipelineRepository pipelines, TimeProvider clock) =>
        {
            Flag(http, "graceful");
            var run = await pipelines.GetRunAsync(ZenMlApi.PathId(run_id, "run_id"), http.RequestAborted);
            if (!Unfinished(run))
            {
                throw ZenMlException.Forbidden($"The pipeline run '{run.Name}' is already {ZenMlMapping.RunStatusOf(run.Status)} and cannot be stopped.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var stopped = new RunChanges(null, ExperimentStatus.Stopped, null, now);
            foreach (var step in (await pipelines.Steps.Where(s => s.ParentId == run.Id).ToListAsync(http.RequestAborted)).Where(Unfinished))
            {
                await pipelines.UpdateStepAsync(step.Id, stopped, http.RequestAborted);
            }
            await pipelines.UpdateRunAsync(run.Id, stopped, http.RequestAborted);
            return Results.Text("null", "application/json");
        });
        api.MapPost("/runs/{run_id}/refresh", async (string run_id, HttpContext http, PipelineRepository pipelines) =>
        {
            Flag(http, "include_steps");
            await pipelines.GetRunAsync(ZenMlApi.PathId(run_id, "run_id"), http.RequestAborted);
            return Results.Text("null", "application/json");
        });
    }

    private static bool Unfinished(Experiment e) => ZenMlMapping.RunStatusOf(e.Status) is "initializing" or "running";

    private static void Flag(HttpContext http, string name)
    {
        if (http.Request.Query[name].ToString() is { Length: > 0 } text && !bool.TryParse(text, out _) && text is not ("0" or "1"))
        {
            throw ZenMlException.Invalid("value could not be parsed to a boolean", "query", name);
        }
    }
}
