using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.Comet;

/// <summary>Comet experiments: the shared experiment rows, the same ones ClearML calls tasks.</summary>
public static class CometExperiments
{
    /// <summary>How often a running client beats and samples GPU and CPU, as the keep-alive answers tell it.</summary>
    public const int BeatMillis = 10_000, GpuMonitorMillis = 60_000, CpuMonitorMillis = 68_000;

    /// <summary>The ClearML task type given to experiments Comet creates.</summary>
    private const string ExperimentType = "training";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/experiments", List);
        api.MapGet("/experiment/metadata", Metadata);
        api.MapPost("/write/experiment/create", Create).Documents<CreateRequest>();
        api.MapGet("/write/experiment/stop", Stop);
        api.MapGet("/write/experiment/archive", (HttpContext h, string? experimentKey, ExperimentRepository e, CancellationToken ct) => SetArchived(h, experimentKey, e, true, ct));
        api.MapGet("/write/experiment/restore", (HttpContext h, string? experimentKey, ExperimentRepository e, CancellationToken ct) => SetArchived(h, experimentKey, e, false, ct));
        api.MapGet("/write/experiment/delete", Delete);
        api.MapGet("/write/experiment/set-status", SetStatus);
        api.MapPost("/write/experiment/update-status", UpdateStatus).Documents<UpdateStatusRequest>();
        api.MapPost("/write/experiment/set-start-end-time", SetStartEndTime).Documents<StartEndRequest>();
        api.MapPost("/write/experiment/move", Move).Documents<MoveRequest>();
    }

    public sealed record MoveRequest(string? TargetWorkspaceName, string? TargetProjectName, List<string>? ExperimentKeys, bool Symlink);

    /// <summary>Moves experiments into the target project (created when missing), or with <c>symlink</c> shows them there as well.</summary>
    public static async Task<MessageResponse> Move(HttpContext http, ExperimentRepository experiments, ProjectRepository projects, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<MoveRequest>(http);
        CometWorkspaces.RequireWorkspace(http, request.TargetWorkspaceName ?? throw CometException.MissingField("targetWorkspaceName"));
        var keys = (request.ExperimentKeys ?? throw CometException.MissingField("experimentKeys")).Select(CometApi.ExperimentKey).ToList();
        var userId = http.Caller().Identity.UserId;
        var name = request.TargetProjectName ?? throw CometException.MissingField("targetProjectName");
        foreach (var key in keys)
        {
            await experiments.GetAsync(key, ct); // all found before anything changes
        }
        var project = await projects.GetOrCreateAsync(new ProjectDraft(name), userId, ct);
        foreach (var key in keys)
        {
            if (request.Symlink)
            {
                await experiments.LinkAsync(key, project.Id, ct);
            }
            else
            {
                await experiments.UpdateAsync(key, new ExperimentChanges { ProjectId = project.Id }, userId, ct);
            }
        }
        return new MessageResponse(request.Symlink ? "Linked" : "Moved");
    }

    public sealed record ExperimentSummary(string ExperimentKey, string ExperimentName, string? OptimizationId, string? ProjectId, string? ProjectName, string WorkspaceName);

    public sealed record ExperimentsResponse(List<ExperimentSummary> Experiments);

    public sealed record MetadataResponse(
        string ExperimentKey, string ExperimentName, string? OptimizationId, string? ProjectId, string? ProjectName, string WorkspaceName,
        long? StartTimeMillis, long? EndTimeMillis, long? DurationMillis, bool Running, bool HasCrashed, bool Archived,
        string? FilePath, string? FileName);

    public sealed record CreateRequest(string? WorkspaceName, string? ProjectName, string? ExperimentName);

    public sealed record CreateResponse(string ExperimentKey, string WorkspaceName, string ProjectName, string Link);

    public sealed record MessageResponse(string Msg);

    public sealed record StatusResponse(int IsAliveBeatDurationMillis, int GpuMonitorIntervalMillis, int CpuMonitorIntervalMillis);

    public sealed record UpdateStatusRequest(string? ExperimentKey, bool IsAlive, string? Error, bool HasCrashed);

    public sealed record StartEndRequest(string? ExperimentKey, long? StartTimeMillis, long? EndTimeMillis);

    /// <summary>The project's experiments: archived ones only with <c>archived=true</c> (comet_ml sends Python's <c>False</c>).</summary>
    public static async Task<ExperimentsResponse> List(
        HttpContext http, string? workspaceName, string? projectId, string? projectName, string? archived,
        ProjectRepository projects, ReadSide reads, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        var wantArchived = CometMapping.Flag(archived, "archived") ?? false;
        var project = await CometProjects.ResolveAsync(projectId, projectName, projects, ct);
        var found = (await AllInProjectAsync(await reads.GetAsync<ExperimentRepository>(ct), project.Id, includeParameters: false, ct)).Where(e => IsArchived(e) == wantArchived);
        var workspace = http.Caller().Identity.WorkspaceName;
        return new ExperimentsResponse([.. found.Select(e => new ExperimentSummary(
            CometApi.Key(e.Id), e.Name, null, CometApi.Key(project.Id), project.Name, workspace))]);
    }

    /// <summary>Every experiment of the project, its own and those linked into it, oldest first.</summary>
    public static async Task<List<Experiment>> AllInProjectAsync(ExperimentRepository experiments, Guid projectId, bool includeParameters, CancellationToken ct)
    {
        var found = new List<Experiment>();
        for (var number = 0; ; number++)
        {
            var page = await experiments.QueryAsync(new ExperimentQuery
            {
                ProjectIds = [projectId],
                IncludeLinked = true,
                OrderBy = [new("created", false)],
                Page = Data.Querying.Page.Numbered(number, null),
                IncludeParameters = includeParameters,
            }, ct);
            found.AddRange(page);
            if (page.Count < Data.Querying.Page.MaxSize)
            {
                return found;
            }
        }
    }

    public static async Task<MetadataResponse> Metadata(
        HttpContext http, string? experimentKey, ExperimentRepository experiments, ProjectRepository projects, CancellationToken ct)
    {
        var e = await experiments.GetAsync(CometApi.ExperimentKey(experimentKey), ct);
        var project = e.ProjectId is { } id ? await projects.FindAsync(id, ct) : null;
        long? start = e.StartedAt is { } s ? CometMapping.Millis(s) : null;
        long? end = e.CompletedAt is { } c ? CometMapping.Millis(c) : null;
        var filePath = JsonText.ObjectOrEmpty(e.SystemDetails)["filePath"] is System.Text.Json.Nodes.JsonValue path && path.TryGetValue<string>(out var text) ? text : null;
        return new MetadataResponse(
            CometApi.Key(e.Id), e.Name, null, e.ProjectId is { } p ? CometApi.Key(p) : null, project?.Name, http.Caller().Identity.WorkspaceName,
            start, end, start is { } a && end is { } b ? b - a : null,
            e.Status == ExperimentStatus.InProgress, e.Status == ExperimentStatus.Failed,
            IsArchived(e), filePath, filePath?[(filePath.LastIndexOfAny(['/', '\\']) + 1)..]);
    }

    public static bool IsArchived(Experiment e) => e.SystemTags.Contains(ExperimentRepository.ArchivedTag);

    /// <summary>A new running experiment in the named project, created with its parents when missing.</summary>
    public static async Task<CreateResponse> Create(HttpContext http, ExperimentRepository experiments, ProjectRepository projects, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<CreateRequest>(http);
        CometWorkspaces.RequireWorkspace(http, request.WorkspaceName ?? throw CometException.MissingField("workspaceName"));
        var projectName = request.ProjectName ?? throw CometException.MissingField("projectName");
        var userId = http.Caller().Identity.UserId;
        var project = await projects.GetOrCreateAsync(new ProjectDraft(projectName), userId, ct);
        var experiment = await experiments.CreateAsync(
            new ExperimentDraft(request.ExperimentName ?? "experiment", ExperimentType, project.Id), new ExperimentChanges(), userId, ct);
        await experiments.ChangeStatusAsync(experiment.Id, ExperimentStatus.InProgress, false, null, null, userId, ct);
        var key = CometApi.Key(experiment.Id);
        return new CreateResponse(key, request.WorkspaceName, project.Name, Link(http, project.Name, experiment.Id));
    }

    /// <summary>Where the experiment is shown under a project (Comet's experiment page address).</summary>
    public static string Link(HttpContext http, string projectName, Guid experimentId) =>
        $"{http.Request.Scheme}://{http.Request.Host}/{Uri.EscapeDataString(http.Caller().Identity.WorkspaceName)}/{Uri.EscapeDataString(projectName)}/{CometApi.Key(experimentId)}";

    public static async Task<MessageResponse> Stop(HttpContext http, string? experimentKey, ExperimentRepository experiments, CancellationToken ct)
    {
        await experiments.ChangeStatusAsync(CometApi.ExperimentKey(experimentKey), ExperimentStatus.Stopped, true, "stopped by Comet client", null, http.Caller().Identity.UserId, ct);
        return new MessageResponse("Stop Requested");
    }

    public static async Task<MessageResponse> SetArchived(HttpContext http, string? experimentKey, ExperimentRepository experiments, bool archived, CancellationToken ct)
    {
        await experiments.SetArchivedAsync(CometApi.ExperimentKey(experimentKey), archived, http.Caller().Identity.UserId, ct);
        return new MessageResponse(archived ? "Archived" : "Restore");
    }

    public static async Task<MessageResponse> Delete(string? experimentKey, ExperimentRepository experiments, CancellationToken ct)
    {
        await experiments.DeleteAsync(CometApi.ExperimentKey(experimentKey), force: true, ct);
        return new MessageResponse("Deleted");
    }

    /// <summary>The keep-alive: the experiment counts as alive; the answer says how often to beat and report.</summary>
    public static async Task<StatusResponse> SetStatus(string? experimentKey, ExperimentRepository experiments, CancellationToken ct)
    {
        await experiments.RecordActivityAsync(CometApi.ExperimentKey(experimentKey), ct);
        return new StatusResponse(BeatMillis, GpuMonitorMillis, CpuMonitorMillis);
    }

    /// <summary>
    /// comet_ml's state report (also sent after any failed write): crashed marks the experiment failed, not alive ends it,
    /// alive keeps (or puts) it running; the error text is kept as the status message.
    /// </summary>
    public static async Task<MessageResponse> UpdateStatus(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<UpdateStatusRequest>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var target = request.HasCrashed ? ExperimentStatus.Failed : request.IsAlive ? ExperimentStatus.InProgress : ExperimentStatus.Completed;
        var current = (await experiments.StatusesAsync([id], ct)).TryGetValue(id, out var status) ? status : throw new CometException(404, "Experiment not found");
        if (current == target)
        {
            await experiments.RecordActivityAsync(id, ct);
        }
        else
        {
            await experiments.ChangeStatusAsync(id, target, true, request.HasCrashed ? "crashed" : null, request.Error, http.Caller().Identity.UserId, ct);
        }
        return new MessageResponse("Updated");
    }

    public static async Task<MessageResponse> SetStartEndTime(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<StartEndRequest>(http);
        return await SetRunTimesAsync(experiments, request.ExperimentKey, request.StartTimeMillis, request.EndTimeMillis, ct);
    }

    /// <summary>When the run started and ended, as the client recorded them (either may be left as is).</summary>
    public static async Task<MessageResponse> SetRunTimesAsync(ExperimentRepository experiments, string? experimentKey, long? startMillis, long? endMillis, CancellationToken ct)
    {
        await experiments.SetRunTimesAsync(
            CometApi.ExperimentKey(experimentKey),
            startMillis is { } start ? CometMapping.Time(start) : null,
            endMillis is { } end ? CometMapping.Time(end) : null, ct);
        return new MessageResponse("Saved");
    }
}
