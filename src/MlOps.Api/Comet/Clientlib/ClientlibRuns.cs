using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Comet.Clientlib;

/// <summary>
/// A run's life as comet_ml reports it: the handshake that creates (or continues, or copies) the experiment under the
/// key the SDK chose, heartbeats while it runs (it is <c>in_progress</c> for ClearML too), and the last beat that ends it.
/// </summary>
public static class ClientlibRuns
{
    /// <summary>Where an experiment logged without a project goes (Comet's "Uncategorized Experiments").</summary>
    public const string DefaultProject = "general";

    private const string ExperimentType = "training";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/logger/add/run", AddRun).Documents<AddRunRequest>();
        api.MapPost("/logger/get/run", GetRun).Documents<GetRunRequest>();
        api.MapPost("/logger/copy-steps-from-experiment", CopySteps).Documents<CopyRequest>();
        api.MapPost("/status-report/update", Heartbeat).Documents<StatusRequest>();
        api.MapPost("/status-report/offline-metadata", OfflineTimes).Documents<OfflineTimesRequest>();
        api.MapPost("/asset/3d-limits", () => new Points3dLimits(1_000_000, 100_000));
        api.MapGet("/symlink/new", CometProjects.Symlink); // Experiment.create_symlink(project)
        api.MapPost("/notification/experiment", Notification).Documents<NotificationRequest>();
        api.MapPost("/notify/event", () => Results.NoContent()); // the SDK's usage telemetry, meant for comet.com
    }

    public sealed record AddRunRequest(string? ExperimentKey, string? ProjectName, string? TeamName, bool Offline, bool GetOrCreateEnabled, string? LibVersion);

    public sealed record GetRunRequest(string? PreviousExperiment, string? LibVersion);

    public sealed record CopyRequest(string? CopiedExperimentKey, string? NewExperimentKey, long? StepToCopyTo);

    public sealed record FeatureToggle(string Name, bool Enabled);

    /// <summary>What comet_ml reads from a handshake (<c>runId</c> is the one field it requires).</summary>
    public sealed record RunResponse(
        string RunId,
        [property: JsonPropertyName("project_id")] string ProjectId,
        string Name,
        long LastOffset,
        List<FeatureToggle> FeatureToggles,
        bool GithubEnabled,
        string FocusUrl,
        bool S3DirectAccessEnabled,
        [property: JsonPropertyName("upload_file_size_limit_in_mb")] long UploadFileSizeLimitInMb,
        [property: JsonPropertyName("asset_upload_file_size_limit_in_mb")] long AssetUploadFileSizeLimitInMb,
        long UploadVideoMaxSizeMB,
        string CometWebAssetUrl,
        string CometWebImageUrl,
        string CometRestApiAssetUrl,
        string CometRestApiImageUrl);

    public sealed record StatusRequest(string? ExperimentKey, [property: JsonPropertyName("is_alive")] bool IsAlive, bool Offline);

    /// <summary>How often comet_ml beats and samples the machine; <c>pending_rpcs</c> makes it fetch waiting remote calls.</summary>
    public sealed record StatusResponse(
        [property: JsonPropertyName("is_alive_beat_duration_millis")] int IsAliveBeatDurationMillis,
        [property: JsonPropertyName("gpu_monitor_interval_millis")] int GpuMonitorIntervalMillis,
        [property: JsonPropertyName("cpu_monitor_interval_millis")] int CpuMonitorIntervalMillis,
        [property: JsonPropertyName("pending_rpcs")] bool PendingRpcs);

    public sealed record OfflineTimesRequest(string? ExperimentKey, long? StartTimestamp, long? EndTimestamp);

    public sealed record Points3dLimits(int MaxPoints, int MaxBoxes);

    public sealed record NotificationRequest(
        [property: JsonPropertyName("experiment_key")] string? ExperimentKey, string? Title, string? Status);


    /// <summary>
    /// Creates the experiment under the SDK's key, running, in the named project (created when missing). A key already
    /// taken is refused as comet_ml expects, unless the SDK asked for get-or-create and the experiment is the caller's.
    /// </summary>
    public static async Task<RunResponse> AddRun(
        HttpContext http, ExperimentRepository experiments, ProjectRepository projects, Memberships locator, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<AddRunRequest>(http);
        var caller = http.Caller().Identity;
        var id = ClientKey(request.ExperimentKey, "experimentKey");
        if (!string.IsNullOrEmpty(request.TeamName) && request.TeamName != caller.WorkspaceName)
        {
            throw new CometException(400, $"Workspace '{request.TeamName}' does not exist or you are not a member", SdkErrorCode.NonExistingTeam);
        }
        if (await locator.WorkspaceOfExperimentAsync(id, ct) is { } owner)
        {
            return request.GetOrCreateEnabled && owner == caller.WorkspaceId
                ? await HandshakeAsync(http, await experiments.GetAsync(id, ct), projects, options, ct)
                : throw AlreadyExists(id);
        }
        var project = await projects.GetOrCreateAsync(new ProjectDraft(string.IsNullOrEmpty(request.ProjectName) ? DefaultProject : request.ProjectName), caller.UserId, ct);
        Experiment experiment;
        try
        {
            experiment = await experiments.CreateAsync(
                new ExperimentDraft(RunNames.For(id), ExperimentType, project.Id, Id: id), new ExperimentChanges(), caller.UserId, ct);
        }
        catch (DbUpdateException)
        {
            throw AlreadyExists(id); // the same key created concurrently
        }
        await experiments.ChangeStatusAsync(id, ExperimentStatus.InProgress, false, "started by comet_ml", null, caller.UserId, ct);
        return await HandshakeAsync(http, experiment, projects, options, ct);
    }

    /// <summary><c>ExistingExperiment</c>: the experiment runs again and logging continues into it.</summary>
    public static async Task<RunResponse> GetRun(
        HttpContext http, ExperimentRepository experiments, ProjectRepository projects, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<GetRunRequest>(http);
        var id = ClientKey(request.PreviousExperiment, "previousExperiment");
        var experiment = await WritableAsync(experiments, id, ct);
        await ResumeAsync(http, experiments, experiment, ct);
        return await HandshakeAsync(http, experiment, projects, options, ct);
    }

    /// <summary>
    /// <c>ExistingExperiment(..., step_copy=N)</c>: a new experiment under the new key, in the copied one's project, with
    /// its parameters and every metric point up to step N; logging continues in the new one.
    /// </summary>
    public static async Task<RunResponse> CopySteps(
        HttpContext http, ExperimentRepository experiments, ProjectRepository projects, MetricsReader reader, MetricsStore store,
        Memberships locator, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<CopyRequest>(http);
        var source = await WritableAsync(experiments, ClientKey(request.CopiedExperimentKey, "copiedExperimentKey"), ct);
        var id = ClientKey(request.NewExperimentKey, "newExperimentKey");
        if (await locator.WorkspaceOfExperimentAsync(id, ct) is not null)
        {
            throw AlreadyExists(id);
        }
        var userId = http.Caller().Identity.UserId;
        var copy = await experiments.CreateAsync(
            new ExperimentDraft(source.Name, source.Type, source.ProjectId, Id: id, Tags: source.Tags),
            new ExperimentChanges
            {
                Hyperparameters = [.. source.Parameters.Where(p => p.Kind == ParameterKind.Hyperparameter)
                    .Select(p => new ParameterValue(p.Section, p.Name, p.Value, p.Type, p.Description))],
            }, userId, ct);
        var lastStep = request.StepToCopyTo ?? long.MaxValue;
        var series = await reader.SeriesAsync([source.Id], null, ct);
        var byId = series.ToDictionary(s => s.Id);
        for (PointCursor? after = null; series.Count > 0;)
        {
            var page = await reader.PointPageAsync(series, after, false, 5000, ct);
            var points = page.Where(p => p.Step <= lastStep)
                .Select(p => new PointInput(id, byId[p.SeriesId].Metric, byId[p.SeriesId].Variant, p.Step, p.Epoch, p.Timestamp, p.Value)).ToList();
            if (points.Count > 0)
            {
                await store.AppendAsync(points, [], ct);
            }
            if (page.Count < 5000)
            {
                break;
            }
            after = new PointCursor(page[^1].SeriesId, page[^1].Step, page[^1].Id);
        }
        await experiments.ChangeStatusAsync(id, ExperimentStatus.InProgress, false, "started by comet_ml", null, userId, ct);
        return await HandshakeAsync(http, copy, projects, options, ct);
    }

    /// <summary>
    /// A heartbeat keeps the run alive (its last update moves); the last one, <c>is_alive: false</c>, ends a running
    /// experiment as completed (one the SDK reported crashed, or someone stopped, keeps that status).
    /// </summary>
    public static async Task<StatusResponse> Heartbeat(HttpContext http, ExperimentRepository experiments, RemoteCallRepository calls, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<StatusRequest>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        if (request.IsAlive)
        {
            await experiments.RecordActivityAsync(id, ct);
        }
        else if ((await experiments.StatusesAsync([id], ct)).TryGetValue(id, out var status))
        {
            if (status == ExperimentStatus.InProgress)
            {
                await experiments.ChangeStatusAsync(id, ExperimentStatus.Completed, false, "ended by comet_ml", null, http.Caller().Identity.UserId, ct);
            }
        }
        else
        {
            throw new CometException(404, "Experiment not found");
        }
        return new StatusResponse(
            CometExperiments.BeatMillis, CometExperiments.GpuMonitorMillis, CometExperiments.CpuMonitorMillis, request.IsAlive && await calls.AnyPendingAsync(id, ct));
    }

    /// <summary>An offline run's real start and end, sent when its archive is uploaded.</summary>
    public static async Task<CometExperiments.MessageResponse> OfflineTimes(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<OfflineTimesRequest>(http);
        return await CometExperiments.SetRunTimesAsync(experiments, request.ExperimentKey, request.StartTimestamp, request.EndTimestamp, ct);
    }

    /// <summary>
    /// The end-of-run notification (Comet e-mails it): checked and logged here; the run's end itself comes with the
    /// last heartbeat.
    /// </summary>
    public static async Task<IResult> Notification(HttpContext http, ExperimentRepository experiments, ILoggerFactory logs, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<NotificationRequest>(http);
        var experiment = await experiments.GetAsync(CometApi.ExperimentKey(request.ExperimentKey), ct);
        logs.CreateLogger(typeof(ClientlibRuns)).LogInformation(
            "comet_ml notification for experiment {Experiment}: {Title} ({Status})", CometApi.Key(experiment.Id), request.Title, request.Status);
        return Results.NoContent();
    }

    private static async Task<RunResponse> HandshakeAsync(
        HttpContext http, Experiment experiment, ProjectRepository projects, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var project = experiment.ProjectId is { } projectId ? await projects.FindAsync(projectId, ct) : null;
        var root = $"{http.Request.Scheme}://{http.Request.Host}{CometApi.Prefix}";
        var limitMb = Math.Max(1, options.Value.Blobs.MaxBytes / (1024 * 1024));
        return new RunResponse(
            Guid.NewGuid().ToString("N"),
            experiment.ProjectId is { } p ? CometApi.Key(p) : "",
            experiment.Name,
            0,
            [new FeatureToggle("sdk_use_http_messages", true)], // keeps SDKs older than 3.54 off the websocket
            false,
            FocusUrl(http, project?.Name ?? DefaultProject),
            false,
            limitMb, limitMb, limitMb,
            $"{root}/experiment/asset/get-asset", $"{root}/experiment/image/get-image",
            $"{root}/experiment/asset/get-asset", $"{root}/experiment/image/get-image");
    }

    /// <summary>The experiment page's address minus the key, which comet_ml appends.</summary>
    private static string FocusUrl(HttpContext http, string projectName) =>
        CometExperiments.Link(http, projectName, Guid.Empty)[..^32];

    /// <summary>Running again: a finished run is forced back to <c>in_progress</c>, as ClearML's "continue" does.</summary>
    private static async Task ResumeAsync(HttpContext http, ExperimentRepository experiments, Experiment experiment, CancellationToken ct)
    {
        if (experiment.Status != ExperimentStatus.InProgress)
        {
            await experiments.ChangeStatusAsync(experiment.Id, ExperimentStatus.InProgress, true, "continued by comet_ml", null, http.Caller().Identity.UserId, ct);
        }
    }

    /// <summary>The caller's experiment, or the error comet_ml reports as "experiment not found".</summary>
    private static async Task<Experiment> WritableAsync(ExperimentRepository experiments, Guid id, CancellationToken ct)
    {
        try
        {
            return await experiments.GetAsync(id, ct);
        }
        catch (DomainException e) when (e.Error == DomainError.NotFound)
        {
            throw new CometException(400, $"Experiment {CometApi.Key(id)} does not exist or you have no write access to it", SdkErrorCode.NoWriteAccessToExperiment);
        }
    }

    /// <summary>A key the SDK chose: 32 hex digits (a UUID).</summary>
    private static Guid ClientKey(string? key, string field) =>
        string.IsNullOrEmpty(key) ? throw CometException.MissingField(field)
        : Guid.TryParseExact(key, "N", out var id) ? id
        : throw CometException.BadRequest($"{field} must be 32 hexadecimal digits");

    private static CometException AlreadyExists(Guid id) =>
        new(400, $"Experiment {CometApi.Key(id)} already exists", SdkErrorCode.ExperimentAlreadyExists);
}
