using Microsoft.EntityFrameworkCore;
using MlOps.Api.Mlflow.Contracts;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;
using Project = MlOps.Data.Entities.Project;

namespace MlOps.Api.Mlflow;

/// <summary>MLflow experiments, which are our projects (see <see cref="MlflowMapping"/>).</summary>
public static class MlflowExperiments
{
    private static readonly HashSet<string> NumericAttributes = ["creation_time", "last_update_time"];
    private static readonly HashSet<string> OrderAttributes = ["name", "experiment_id", "creation_time", "last_update_time"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/experiments/create", Create);
        api.MapGet("/experiments/get", Get);
        api.MapGet("/experiments/get-by-name", GetByName);
        api.MapPost("/experiments/search", Search);
        api.MapGet("/experiments/search", Search);
        api.MapPost("/experiments/update", Update);
        api.MapPost("/experiments/delete", (HttpContext http, ProjectRepository projects, CancellationToken ct) => SetDeletedAsync(http, projects, true, ct));
        api.MapPost("/experiments/restore", (HttpContext http, ProjectRepository projects, CancellationToken ct) => SetDeletedAsync(http, projects, false, ct));
        api.MapPost("/experiments/set-experiment-tag", SetTag);
        api.MapPost("/experiments/search-datasets", SearchDatasets);
    }

    /// <summary>The datasets the runs of the experiments (at most 20) took as inputs, each once per context; the UI's run filter offers them.</summary>
    private static async Task<object> SearchDatasets(
        HttpContext http, Caller caller, ProjectRepository projects, ExperimentRepository runs, CancellationToken ct)
    {
        var ids = (await MlflowRequest.ReadAsync(http)).Strings("experiment_ids").ToList();
        if (ids.Count is 0 or > 20)
        {
            throw MlflowException.Invalid($"SearchDatasets request must specify between 1 and 20 experiment_ids. Received {ids.Count} experiment_ids.");
        }
        var summaries = new List<DatasetSummary>();
        foreach (var id in ids)
        {
            var project = await FindAsync(projects, caller, id, ct);
            summaries.AddRange((await runs.AllInProjectsAsync([project.Id], ct)).SelectMany(MlflowRunViews.Inputs).Select(input => new DatasetSummary(
                MlflowMapping.Id(project.Id), input.Dataset.Name, input.Dataset.Digest, input.Tags.FirstOrDefault(t => t.Key == "mlflow.data.context")?.Value)));
        }
        return new { dataset_summaries = summaries.Distinct().ToList() };
    }

    private static async Task<object> Create(HttpContext http, Caller caller, ProjectRepository projects, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var name = request.Required("name");
        if (await projects.FindByNameAsync(name, ct) is not null)
        {
            throw MlflowException.Exists($"Experiment(name={name}) already exists. Error: experiment name must be unique");
        }
        var tags = Tags(request);
        var project = await projects.CreateAsync(new ProjectDraft(
            name, tags.Remove(MlflowMapping.NoteTag, out var note) ? note : null, Properties: tags), caller.UserId, ct);
        return new { experiment_id = MlflowMapping.Id(project.Id) };
    }

    private static async Task<object> Get(HttpContext http, ProjectRepository projects, Caller caller, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        return new { experiment = View(await FindAsync(projects, caller, request.Required("experiment_id"), ct)) };
    }

    private static async Task<object> GetByName(HttpContext http, ProjectRepository projects, CancellationToken ct)
    {
        var name = (await MlflowRequest.ReadAsync(http)).Required("experiment_name");
        var project = await projects.FindByNameAsync(name, ct) ?? throw MlflowException.NotFound($"Could not find experiment with name '{name}'");
        return new { experiment = View(project) };
    }

    private static async Task<object> Search(HttpContext http, ProjectRepository projects, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var clauses = MlflowFilter.Parse(request.String("filter"), NumericAttributes);
        var order = request.Strings("order_by").Select(o => MlflowFilter.ParseOrder(o, OrderAttributes)).ToList();
        var viewType = request.String("view_type") ?? "ACTIVE_ONLY";
        var size = request.MaxResults(1000, 50000);
        var found = (await projects.Projects.ToListAsync(ct))
            .Select(View)
            .Where(e => viewType == "ALL" || (viewType == "DELETED_ONLY") == (e.LifecycleStage == MlflowMapping.Deleted))
            .Where(e => clauses.All(c => MlflowFilter.Matches(c, Lookup(e, c.Entity, c.Key))))
            .ToList();
        var ordered = order.Count == 0
            ? found.OrderByDescending(e => e.CreationTime).ThenBy(e => e.ExperimentId, StringComparer.Ordinal).ToList()
            : found.Order(Comparer<Experiment>.Create((a, b) => order
                .Select(o => MlflowFilter.Compare(Lookup(a, o.Entity, o.Key), Lookup(b, o.Entity, o.Key), o.Ascending))
                .FirstOrDefault(c => c != 0))).ToList();
        var (page, next) = MlflowApi.Page(ordered, request.String("page_token"), size);
        return new { experiments = page, next_page_token = next };
    }

    private static async Task<object> Update(HttpContext http, ProjectRepository projects, Caller caller, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var project = await FindAsync(projects, caller, request.Required("experiment_id"), ct);
        if (request.String("new_name") is { Length: > 0 } name)
        {
            await projects.UpdateAsync(project.Id, new ProjectChanges(Name: name), ct);
        }
        return new { };
    }

    private static async Task<object> SetDeletedAsync(HttpContext http, ProjectRepository projects, bool deleted, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var project = await ByIdAsync(projects, request.Required("experiment_id"), ct);
        var systemTags = project.SystemTags.Where(t => t != ExperimentRepository.ArchivedTag).ToList();
        await projects.UpdateAsync(project.Id, new ProjectChanges(SystemTags: deleted ? [.. systemTags, ExperimentRepository.ArchivedTag] : systemTags), ct);
        return new { };
    }

    private static async Task<object> SetTag(HttpContext http, ProjectRepository projects, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var project = await ByIdAsync(projects, request.Required("experiment_id"), ct);
        var key = MlflowApi.Key(request.Required("key"), "Tag");
        var value = MlflowApi.Value(request.String("value"), MlflowApi.MaxTagValueLength, "Tag");
        await projects.UpdateAsync(project.Id, key == MlflowMapping.NoteTag
            ? new ProjectChanges(Description: value)
            : new ProjectChanges(Properties: new Dictionary<string, string>(project.Properties) { [key] = value }), ct);
        return new { };
    }

    /// <summary>The experiment of the id; <c>"0"</c> is the default experiment, created the first time it is named.</summary>
    public static async Task<Project> FindAsync(ProjectRepository projects, Caller caller, string id, CancellationToken ct) =>
        id == MlflowMapping.DefaultExperimentId
            ? await projects.GetOrCreateAsync(new ProjectDraft(MlflowMapping.DefaultExperimentName), caller.UserId, ct)
            : await ByIdAsync(projects, id, ct);

    private static async Task<Project> ByIdAsync(ProjectRepository projects, string id, CancellationToken ct) =>
        (Guid.TryParseExact(id, "N", out var projectId) ? await projects.FindAsync(projectId, ct) : null)
        ?? throw MlflowException.NotFound($"No Experiment with id={id} exists");

    public static Experiment View(Project project) => new(
        MlflowMapping.Id(project.Id), project.Name, MlflowMapping.ArtifactLocation(project.Id), MlflowMapping.LifecycleStage(project.SystemTags),
        MlflowMapping.Millis(project.LastUpdate), MlflowMapping.Millis(project.CreatedAt),
        [.. project.Properties.Select(p => new KeyValue(p.Key, p.Value)),
            .. string.IsNullOrEmpty(project.Description) ? [] : new[] { new KeyValue(MlflowMapping.NoteTag, project.Description) }]);

    private static Dictionary<string, string> Tags(MlflowRequest request) =>
        MlflowRunData.Tags(request.Objects("tags")).ToDictionary(t => t.Key, t => t.Value);

    private static object? Lookup(Experiment experiment, string entity, string key) => (entity, key) switch
    {
        (MlflowFilter.Tag, _) => experiment.Tags.FirstOrDefault(t => t.Key == key)?.Value,
        (_, "name") => experiment.Name,
        (_, "experiment_id") => experiment.ExperimentId,
        (_, "creation_time") => (double)experiment.CreationTime,
        (_, "last_update_time") => (double)experiment.LastUpdateTime,
        _ => throw MlflowException.Invalid($"Invalid attribute key '{key}' specified. Valid keys are 'name', 'creation_time', 'last_update_time'"),
    };
}
