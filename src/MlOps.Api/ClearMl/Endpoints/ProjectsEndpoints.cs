using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>projects.*</c> over the shared projects.</summary>
public static class ProjectsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("projects.create", Create);
        api.MapAction("projects.get_by_id", GetById);
        api.MapAction("projects.get_all", GetAll);
        api.MapAction("projects.get_all_ex", GetAllEx);
        api.MapAction("projects.update", Update);
        api.MapAction("projects.delete", Delete);
        api.MapAction("projects.move", Move);
        api.MapAction("projects.merge", Merge);
    }

    public sealed record ProjectDocument(
        string Id,
        string Name,
        string Basename,
        string? Description,
        string? User,
        string Company,
        DateTime Created,
        DateTime LastUpdate,
        IReadOnlyList<string> Tags,
        IReadOnlyList<string> SystemTags,
        string? DefaultOutputDestination,
        string? Parent)
    {
        public static ProjectDocument From(Project p) => new(
            p.Id.ToString("N"),
            p.Name,
            p.Name[(p.Name.LastIndexOf(ProjectRepository.PathSeparator) + 1)..],
            p.Description,
            p.UserId?.ToString("N"),
            p.WorkspaceId.ToString("N"),
            p.CreatedAt,
            p.LastUpdate,
            p.Tags,
            p.SystemTags,
            p.DefaultOutputDestination,
            p.ParentId?.ToString("N"));
    }

    public sealed record CreateRequest(
        string? Name, string? Description, List<string>? Tags, List<string>? SystemTags, string? DefaultOutputDestination);

    public sealed record UpdateRequest(
        string? Project, string? Name, string? Description, List<string>? Tags, List<string>? SystemTags, string? DefaultOutputDestination);

    public sealed record ProjectRequest(string? Project);

    public sealed record DeleteRequest(string? Project, bool Force, bool DeleteContents);

    public sealed record GetAllRequest : ListRequest
    {
        public List<string>? Parent { get; init; }
        /// <summary>Top-level projects only (or, with a parent, its direct children, which is what parent selects anyway).</summary>
        public bool ShallowSearch { get; init; }
    }

    /// <summary>What get_all_ex adds: statistics, sub-projects, and own contents, as the web UI's project pages ask.</summary>
    public sealed record GetAllExRequest
    {
        public bool IncludeStats { get; init; }
        public string? StatsForState { get; init; } = "active";
        public bool StatsWithChildren { get; init; } = true;
        public bool CheckOwnContents { get; init; }
        /// <summary>Which tasks count in the statistics: list filters on <c>tags</c>, <c>system_tags</c> and <c>type</c>.</summary>
        public StatsFilterRequest? IncludeStatsFilter { get; init; }
    }

    public sealed record StatsFilterRequest(List<string?>? Tags, List<string?>? SystemTags, List<string>? Type)
    {
        /// <summary>The archived state is chosen by <c>stats_for_state</c>, so the filter's own archived terms are dropped (as ClearML).</summary>
        public StatsFilter ToFilter()
        {
            var (types, excludedTypes) = ClearMlQuery.ParseValues(Type);
            var systemTags = SystemTags?.Where(t => t is not (ExperimentRepository.ArchivedTag or "-" + ExperimentRepository.ArchivedTag)).ToList();
            return new StatsFilter(ClearMlQuery.ParseTags(Tags, "tags"), ClearMlQuery.ParseTags(systemTags, "system_tags"), types, excludedTypes);
        }
    }

    public sealed record IdResponse(string Id);

    public sealed record GetByIdResponse(ProjectDocument Project);

    public sealed record GetAllResponse(List<JsonObject> Projects, string? ScrollId);

    public sealed record UpdateResponse(int Updated, JsonObject Fields);

    public sealed record DeleteResponse(int Deleted, int DisassociatedTasks, int DeletedModels, int DeletedTasks, DeletedUrls? Urls);

    /// <summary>The files of the deleted contents (event files are not listed, as in ClearML).</summary>
    public sealed record DeletedUrls(IReadOnlyList<string> ModelUrls, IReadOnlyList<string> ArtifactUrls, IReadOnlyList<string> EventUrls);

    public static async Task<IdResponse> Create(ClearMlCall call, ProjectRepository projects, CancellationToken ct)
    {
        var request = call.Read<CreateRequest>();
        var project = await projects.CreateAsync(
            new ProjectDraft(
                ClearMlName(request.Name ?? throw ClearMlException.MissingRequiredFields("name")),
                request.Description, request.Tags, request.SystemTags, request.DefaultOutputDestination),
            call.Http.Caller().Identity.UserId, ct);
        return new IdResponse(project.Id.ToString("N"));
    }

    public static async Task<GetByIdResponse> GetById(ClearMlCall call, ProjectRepository projects, CancellationToken ct) =>
        new(ProjectDocument.From(await projects.GetAsync(ProjectId(call.Read<ProjectRequest>().Project), ct)));

    /// <summary>A list page: a heavy read, on the read side (the read replica when it may).</summary>
    public static async Task<GetAllResponse> GetAll(ClearMlCall call, ReadSide reads, CancellationToken ct)
    {
        var projects = await reads.GetAsync<ProjectRepository>(ct);
        var request = call.Read<GetAllRequest>();
        var window = request.Window();
        var found = await projects.QueryAsync(QueryOf(request) with { Page = window, WithoutDetails = true }, ct);
        var documents = found.Select(p => ClearMlQuery.Project(ProjectDocument.From(p), request.OnlyFields)).ToList();
        return new GetAllResponse(documents, request.NextScrollId(window, found.Count));
    }

    /// <summary>The projects a get_all request selects (its page aside).</summary>
    public static ProjectQuery QueryOf(GetAllRequest request) => new(
        request.Ids(),
        request.Name,
        request.Parent?.Select(ProjectId).ToList(),
        request.TagFilter(),
        request.SystemTagFilter(),
        request.Ordering(),
        null,
        TopLevelOnly: request.ShallowSearch && request.Ids() is null or { Count: 0 });

    /// <summary>
    /// As get_all, with references (parent, user, company) as objects with their names and, when asked, each
    /// project's <c>stats</c> (for active or archived experiments, sub-projects' included unless turned off),
    /// <c>sub_projects</c>, and <c>own_tasks</c> / <c>own_models</c>.
    /// </summary>
    public static async Task<GetAllResponse> GetAllEx(ClearMlCall call, ReadSide reads, CancellationToken ct)
    {
        var found = await GetAll(call, reads, ct);
        var (contents, references) = (await reads.GetAsync<ProjectContents>(ct), await reads.GetAsync<ClearMlReferences>(ct));
        await references.ExpandProjectsAsync(found.Projects, call.Http.Caller().Identity.WorkspaceName, ct);
        var request = call.Read<GetAllExRequest>();
        var ids = found.Projects.Select(p => ProjectId(p["id"]!.GetValue<string>())).ToList();
        if (ids.Count == 0)
        {
            return found;
        }
        if (request.IncludeStats)
        {
            var state = request.StatsForState == "archived" ? "archived" : "active";
            var stats = await contents.StatsAsync(ids, state == "archived", request.StatsWithChildren, request.IncludeStatsFilter?.ToFilter(), ct);
            var children = await contents.ChildrenAsync(ids, ct);
            foreach (var (project, id) in found.Projects.Zip(ids))
            {
                project["stats"] = new JsonObject { [state] = Stats(stats[id]) };
                project["sub_projects"] = new JsonArray([.. children[id].Select(c => (JsonNode)new JsonObject { ["id"] = c.Id.ToString("N"), ["name"] = c.Name })]);
            }
        }
        if (request.CheckOwnContents)
        {
            var own = await contents.OwnCountsAsync(ids, ct);
            foreach (var (project, id) in found.Projects.Zip(ids))
            {
                project["own_tasks"] = own[id].Experiments;
                project["own_models"] = own[id].Models;
            }
        }
        return found;
    }

    private static JsonObject Stats(ProjectStats stats) => new()
    {
        ["status_count"] = new JsonObject(Enum.GetValues<ExperimentStatus>()
            .Where(s => s is not (ExperimentStatus.Publishing))
            .Select(s => KeyValuePair.Create(TaskStatusNames.ToWire(s), (JsonNode?)stats.StatusCount.GetValueOrDefault(s)))),
        ["total_tasks"] = stats.Total,
        ["completed_tasks_24h"] = stats.CompletedLastDay,
        ["total_runtime"] = stats.RuntimeSeconds,
        ["last_task_run"] = stats.LastStarted is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)).ToUnixTimeMilliseconds() : null,
    };

    public static async Task<UpdateResponse> Update(ClearMlCall call, ProjectRepository projects, CancellationToken ct)
    {
        var request = call.Read<UpdateRequest>();
        await projects.UpdateAsync(
            ProjectId(request.Project),
            new ProjectChanges(request.Name is null ? null : ClearMlName(request.Name), request.Description, request.Tags, request.SystemTags, request.DefaultOutputDestination),
            ct);
        var fields = call.FieldsExcept("project");
        return new UpdateResponse(fields.Count > 0 ? 1 : 0, fields);
    }

    public static async Task<DeleteResponse> Delete(ClearMlCall call, ProjectRepository projects, CancellationToken ct)
    {
        var request = call.Read<DeleteRequest>();
        var deletion = await projects.DeleteAsync(ProjectId(request.Project), request.Force, request.DeleteContents, ct);
        var urls = request.DeleteContents
            ? new DeletedUrls([.. deletion.ModelUris.Distinct()], [.. deletion.Executions.SelectMany(OutputArtifactUris).Distinct()], [])
            : null;
        return new DeleteResponse(deletion.DeletedProjects, deletion.DetachedExperiments, deletion.DeletedModels, deletion.DeletedExperiments, urls);
    }

    /// <summary>The URIs of a task's output artifacts, from its execution document.</summary>
    public static IEnumerable<string> OutputArtifactUris(string execution) =>
        JsonText.ObjectOrEmpty(execution)["artifacts"] is JsonArray artifacts
            ? artifacts.OfType<JsonObject>()
                .Where(a => (a["mode"]?.GetValue<string>() ?? "output") == "output" && a["uri"] is JsonValue)
                .Select(a => a["uri"]!.GetValue<string>())
                .Where(uri => uri.Length > 0)
            : [];

    public sealed record MoveRequest(string? Project, string? NewLocation, string? DestinationProject);

    public sealed record MoveResponse(int Moved);

    public sealed record MergeResponse(int MovedEntities, int MovedProjects);

    /// <summary>Moves the project (with its sub-projects) under <c>new_location</c>, or to the top when it is empty.</summary>
    public static async Task<MoveResponse> Move(ClearMlCall call, ProjectRepository projects, CancellationToken ct)
    {
        var request = call.Read<MoveRequest>();
        var id = ProjectId(request.Project);
        var project = await projects.GetAsync(id, ct);
        var basename = project.Name[(project.Name.LastIndexOf(ProjectRepository.PathSeparator) + 1)..];
        var name = string.IsNullOrEmpty(request.NewLocation) ? basename : request.NewLocation.TrimEnd(ProjectRepository.PathSeparator) + ProjectRepository.PathSeparator + basename;
        await projects.UpdateAsync(id, new ProjectChanges(Name: ClearMlName(name)), ct);
        return new MoveResponse(1);
    }

    public static async Task<MergeResponse> Merge(ClearMlCall call, ProjectRepository projects, CancellationToken ct)
    {
        var request = call.Read<MoveRequest>();
        var (entities, moved) = await projects.MergeAsync(ProjectId(request.Project), ProjectId(request.DestinationProject), ct);
        return new MergeResponse(entities, moved);
    }

    /// <summary>A project named by id, or by name (created when missing), as tasks.move and models.move accept.</summary>
    public static async Task<Guid> ResolveAsync(string? id, string? name, ProjectRepository projects, Guid userId, CancellationToken ct) =>
        id is { Length: > 0 }
            ? ClearMlErrors.ParseId(id, EntityKind.Project)
            : name is { Length: > 0 }
                ? (await projects.GetOrCreateAsync(new ProjectDraft(ClearMlName(name)), userId, ct)).Id
                : throw ClearMlException.MissingRequiredFields("project or project_name");

    /// <summary>
    /// ClearML's own rule, applied where ClearML names a project (other surfaces accept shorter names): a project
    /// name, and so the top parent it would create, needs <see cref="MinNameLength"/> characters.
    /// </summary>
    public static string ClearMlName(string name)
    {
        var normalized = ProjectRepository.NormalizeName(name);
        return normalized.Split(ProjectRepository.PathSeparator)[0].Length < MinNameLength
            ? throw new ClearMlException(400, 800,
                $"Data validation error: name={normalized} (project names and their parents' names need at least {MinNameLength} characters)")
            : normalized;
    }

    public const int MinNameLength = 3;

    private static Guid ProjectId(string? id) =>
        id is null ? throw ClearMlException.MissingField("project") : ClearMlErrors.ParseId(id, EntityKind.Project);
}
