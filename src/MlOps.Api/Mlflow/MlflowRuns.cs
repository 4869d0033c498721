using MlOps.Api.Mlflow.Contracts;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using Experiment = MlOps.Data.Entities.Experiment;

namespace MlOps.Api.Mlflow;

/// <summary>MLflow runs, which are our experiments (ClearML tasks, Comet experiments): create, read, update, delete, search.</summary>
public static class MlflowRuns
{
    private static readonly HashSet<string> NumericAttributes = ["start_time", "end_time", "created", "Created"];
    private static readonly HashSet<string> OrderAttributes =
        ["start_time", "end_time", "created", "Created", "status", "run_name", "run name", "Run name", "Run Name", "run_id", "user_id", "artifact_uri", "experiment_id"];
    private static readonly string[] Adjectives = ["amber", "bold", "calm", "eager", "gentle", "keen", "lucid", "merry", "quiet", "swift"];
    private static readonly string[] Nouns = ["bass", "crane", "finch", "hare", "lynx", "mole", "owl", "panda", "seal", "wren"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/runs/create", Create);
        api.MapGet("/runs/get", Get);
        api.MapPost("/runs/update", Update);
        api.MapPost("/runs/delete", (HttpContext http, ExperimentRepository runs, Caller caller, CancellationToken ct) => SetDeletedAsync(http, runs, caller, true, ct));
        api.MapPost("/runs/restore", (HttpContext http, ExperimentRepository runs, Caller caller, CancellationToken ct) => SetDeletedAsync(http, runs, caller, false, ct));
        api.MapPost("/runs/search", Search);
        api.MapGet("/runs/search", Search);
    }

    private static async Task<object> Create(
        HttpContext http, Caller caller, ProjectRepository projects, ExperimentRepository runs, MlflowRunViews views, TimeProvider clock, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var project = await MlflowExperiments.FindAsync(projects, caller, request.String("experiment_id") ?? MlflowMapping.DefaultExperimentId, ct);
        if (MlflowMapping.LifecycleStage(project.SystemTags) == MlflowMapping.Deleted)
        {
            throw MlflowException.Invalid($"The experiment {MlflowMapping.Id(project.Id)} must be in the 'active' state. Current state is deleted.");
        }
        var tags = MlflowRunData.Tags(request.Objects("tags"));
        var named = tags.LastOrDefault(t => t.Key == MlflowMapping.RunNameTag).Value;
        var name = request.String("run_name") is { Length: > 0 } given ? given : named ?? $"{Pick(Adjectives)}-{Pick(Nouns)}-{Random.Shared.Next(100, 1000)}";
        if (named is not null && named != name)
        {
            throw MlflowException.Invalid($"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{name}', mlflow.runName='{named}').");
        }
        var started = request.Long("start_time") is { } millis ? MlflowMapping.Time(millis) : clock.GetUtcNow().UtcDateTime;
        var run = await runs.CreateAsync(new ExperimentDraft(name, "training", project.Id), new ExperimentChanges(), caller.UserId, ct);
        await MlflowRunData.WriteTagsAsync(runs, run.Id, tags, caller, ct);
        await runs.ChangeStatusAsync(run.Id, ExperimentStatus.InProgress, force: true, null, null, caller.UserId, ct);
        await runs.SetRunTimesAsync(run.Id, started, null, ct);
        return new { run = await views.OneAsync(await runs.GetAsync(run.Id, ct), ct) };
    }

    private static async Task<object> Get(HttpContext http, ExperimentRepository runs, MlflowRunViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        return new { run = await views.OneAsync(await FindAsync(runs, RunId(request), ct), ct) };
    }

    private static async Task<object> Update(HttpContext http, Caller caller, ExperimentRepository runs, NameLookup names, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await FindAsync(runs, RunId(request), ct);
        if (request.String("run_name") is { Length: > 0 } name && name != run.Name)
        {
            await runs.UpdateAsync(run.Id, new ExperimentChanges { Name = name }, caller.UserId, ct);
        }
        if (request.String("status") is { Length: > 0 } status && MlflowMapping.Status(status) is var target && MlflowMapping.Status(run.Status) != status)
        {
            await runs.ChangeStatusAsync(run.Id, target, force: true, null, null, caller.UserId, ct);
        }
        if (request.Long("end_time") is { } ended)
        {
            await runs.SetRunTimesAsync(run.Id, null, MlflowMapping.Time(ended), ct);
        }
        run = await runs.GetAsync(run.Id, ct);
        var user = run.UserId is { } id ? (await names.UsersAsync([id], ct)).GetValueOrDefault(id) : null;
        return new { run_info = MlflowRunViews.Info(run, user) };
    }

    private static async Task<object> SetDeletedAsync(HttpContext http, ExperimentRepository runs, Caller caller, bool deleted, CancellationToken ct)
    {
        var run = await FindAsync(runs, RunId(await MlflowRequest.ReadAsync(http)), ct);
        await runs.SetArchivedAsync(run.Id, deleted, caller.UserId, ct);
        return new { };
    }

    private static async Task<object> Search(
        HttpContext http, Caller caller, ProjectRepository projects, ExperimentRepository runs, MlflowRunViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var clauses = MlflowFilter.Parse(request.String("filter"), NumericAttributes);
        var order = request.Strings("order_by").Select(o => MlflowFilter.ParseOrder(o, OrderAttributes)).ToList();
        var viewType = request.String("run_view_type") ?? "ACTIVE_ONLY";
        var size = request.MaxResults(1000, 50000);
        var projectIds = new List<Guid>();
        foreach (var id in request.Strings("experiment_ids"))
        {
            projectIds.Add((await MlflowExperiments.FindAsync(projects, caller, id, ct)).Id);
        }
        var found = (await views.ManyAsync(await runs.AllInProjectsAsync(projectIds, ct), ct))
            .Where(r => viewType == "ALL" || (viewType == "DELETED_ONLY") == (r.Info.LifecycleStage == MlflowMapping.Deleted))
            .Where(r => clauses.All(c => MlflowFilter.Matches(c, Lookup(r, c.Entity, c.Key))))
            .ToList();
        var byStart = new OrderKey(MlflowFilter.Attribute, "start_time", Ascending: false);
        var keys = order.Append(byStart).Append(new OrderKey(MlflowFilter.Attribute, "run_id", Ascending: true)).ToList();
        var ordered = found.Order(Comparer<Run>.Create((a, b) =>
            keys.Select(k => MlflowFilter.Compare(Lookup(a, k.Entity, k.Key), Lookup(b, k.Entity, k.Key), k.Ascending)).FirstOrDefault(c => c != 0))).ToList();
        var (page, next) = MlflowApi.Page(ordered, request.String("page_token"), size);
        return new { runs = page, next_page_token = next };
    }

    /// <summary>What a filter or order key names on a run: a double for metrics and times, a string otherwise, null when absent.</summary>
    private static object? Lookup(Run run, string entity, string key) => entity switch
    {
        MlflowFilter.Metric => run.Data.Metrics.FirstOrDefault(m => m.Key == key)?.Value,
        MlflowFilter.Param => run.Data.Params.FirstOrDefault(p => p.Key == key)?.Value,
        MlflowFilter.Tag => run.Data.Tags.FirstOrDefault(t => t.Key == key)?.Value,
        MlflowFilter.DatasetEntity => key switch
        {
            "name" => run.Inputs.DatasetInputs.Select(d => d.Dataset.Name).FirstOrDefault(),
            "digest" => run.Inputs.DatasetInputs.Select(d => d.Dataset.Digest).FirstOrDefault(),
            _ => throw MlflowException.Invalid($"Invalid dataset key '{key}'. Valid keys are 'name', 'digest', 'context'."),
        },
        _ => key switch
        {
            "run_id" => run.Info.RunId,
            "run_name" or "run name" or "Run name" or "Run Name" => run.Info.RunName,
            "status" => run.Info.Status,
            "user_id" => run.Info.UserId,
            "artifact_uri" => run.Info.ArtifactUri,
            "experiment_id" => run.Info.ExperimentId,
            "start_time" or "created" or "Created" => (double?)run.Info.StartTime,
            "end_time" => (double?)run.Info.EndTime,
            _ => throw MlflowException.Invalid(
                $"Invalid attribute key '{key}' specified. Valid keys are 'run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'start_time', 'end_time'"),
        },
    };

    /// <summary>The run the request names (<c>run_id</c>, or the older <c>run_uuid</c>).</summary>
    public static Guid RunId(MlflowRequest request) =>
        MlflowMapping.RunId(request.String("run_id") is { Length: > 0 } id ? id : request.Required("run_uuid"));

    public static async Task<Experiment> FindAsync(ExperimentRepository runs, Guid id, CancellationToken ct)
    {
        try
        {
            return await runs.GetAsync(id, ct);
        }
        catch (DomainException e) when (e.Error == DomainError.NotFound)
        {
            throw MlflowException.NotFound($"Run with id={MlflowMapping.Id(id)} not found");
        }
    }

    /// <summary>A run that may be logged to: MLflow refuses writes to a deleted run.</summary>
    public static async Task<Experiment> ActiveAsync(ExperimentRepository runs, Guid id, CancellationToken ct)
    {
        var run = await FindAsync(runs, id, ct);
        return MlflowMapping.LifecycleStage(run.SystemTags) == MlflowMapping.Active ? run
            : throw MlflowException.Invalid($"The run {MlflowMapping.Id(id)} must be in the 'active' state. Current state is deleted.");
    }

    private static string Pick(string[] words) => words[Random.Shared.Next(words.Length)];
}
