using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>pipelines.*</c>: a pipeline run is a controller task (type <c>controller</c>) whose steps are
/// its child tasks, so starting one clones a controller and queues it, and deleting runs deletes controllers and their steps.
/// </summary>
public static class PipelinesEndpoints
{
    private const string PipelineTag = "pipeline";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("pipelines.start_pipeline", StartPipeline);
        api.MapAction("pipelines.delete_runs", DeleteRuns);
    }

    public sealed record Arg(string? Name, string? Value);

    public sealed record StartRequest(string? Task, string? Queue, List<Arg>? Args);

    public sealed record StartResponse(string Pipeline, bool Enqueued);

    public sealed record DeleteRunsRequest(List<string>? Ids, string? Project);

    /// <summary>A new run of the pipeline: the controller cloned with the given arguments, named "#N", queued (default queue if none).</summary>
    public static async Task<StartResponse> StartPipeline(ClearMlCall call, ExperimentRepository tasks, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<StartRequest>();
        var controller = await tasks.GetAsync(TasksEndpoints.TaskId(request.Task), ct);
        var arguments = (request.Args ?? [])
            .Select(a => new ParameterValue("Args", a.Name ?? throw ClearMlException.MissingField("args.name"), a.Value, null, null))
            .ToList();
        var runs = controller.ProjectId is null
            ? 0
            : (await tasks.QueryAsync(new ExperimentQuery
            {
                ProjectIds = [controller.ProjectId.Value],
                SystemTags = new Data.Querying.TagFilter([PipelineTag], [], []),
                IncludeParameters = false,
            }, ct)).Count;
        var name = runs > 0 ? $"{controller.Name} #{runs}" : controller.Name;
        var run = await TaskDocumentsEndpoints.CloneAsync(
            call, tasks, controller.Id, new TaskDocumentsEndpoints.CloneRequest(null, name, null, null, null, null, null, null), arguments, ct);
        var queueId = request.Queue is { Length: > 0 } queue ? QueuesEndpoints.QueueId(queue) : (await queues.GetDefaultAsync(ct)).Id;
        await queues.EnqueueAsync(queueId, run.Id, "", "Starting pipeline", call.Http.Caller().Identity.UserId, ct);
        return new StartResponse(run.Id.ToString("N"), true);
    }

    /// <summary>Deletes the given controller runs of a project with their steps; the project must keep at least one run.</summary>
    public static async Task<ClearMlBatch.ManyResponse> DeleteRuns(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<DeleteRunsRequest>();
        var project = ClearMlErrors.ParseId(request.Project ?? throw ClearMlException.MissingField("project"), EntityKind.Project);
        var ids = request.Ids ?? throw ClearMlException.MissingField("ids");
        var runs = (await tasks.QueryAsync(new ExperimentQuery { ProjectIds = [project], Types = ["controller"], IncludeParameters = false }, ct))
            .Select(t => t.Id.ToString("N")).ToHashSet();
        if (runs.Count > 0 && runs.IsSubsetOf(ids))
        {
            throw new ClearMlException(400, 160, "at least one pipeline run should be left");
        }
        return await ClearMlBatch.RunAsync([.. ids.Where(runs.Contains)], async (id, succeeded) =>
        {
            var run = TasksEndpoints.TaskId(id);
            foreach (var step in await tasks.QueryAsync(new ExperimentQuery { ParentIds = [run], IncludeParameters = false }, ct))
            {
                await tasks.DeleteAsync(step.Id, force: true, ct);
            }
            await tasks.DeleteAsync(run, force: true, ct);
            succeeded["deleted"] = true;
        });
    }
}
