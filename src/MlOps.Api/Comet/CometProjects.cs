using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.Comet;

/// <summary>Comet projects: the shared projects (a ClearML project of the same name is the same project).</summary>
public static class CometProjects
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects", List);
        api.MapGet("/project", Get);
        api.MapPost("/write/project/create", Create).Documents<CreateRequest>();
        api.MapPost("/write/project/delete", Delete).Documents<DeleteRequest>();
        api.MapPost("/write/project/update", Update).Documents<UpdateRequest>();
        api.MapGet("/project/notes", GetNotes);
        api.MapPost("/write/project/notes", SetNotes).Documents<NotesRequest>();
        api.MapGet("/project/column-names", ColumnNames);
        api.MapGet("/write/project/add-share-link", AddShareLink);
        api.MapGet("/write/project/delete-project-share-link", DeleteShareLink);
        api.MapGet("/write/project/symlink", Symlink);
    }

    public sealed record ShareLinkResponse(string ShareCode);

    public sealed record SymlinkResponse(string Link);

    public static async Task<ShareLinkResponse> AddShareLink(string? projectId, ProjectRepository projects, CancellationToken ct)
    {
        var project = await ResolveAsync(projectId ?? throw CometException.MissingField("projectId"), null, projects, ct);
        return new ShareLinkResponse(await projects.AddShareCodeAsync(project.Id, ct));
    }

    public static async Task<MessageResponse> DeleteShareLink(string? projectId, string? shareCode, ProjectRepository projects, CancellationToken ct)
    {
        var project = await ResolveAsync(projectId ?? throw CometException.MissingField("projectId"), null, projects, ct);
        await projects.RemoveShareCodeAsync(project.Id, shareCode ?? throw CometException.MissingField("shareCode"), ct);
        return new MessageResponse("Deleted");
    }

    /// <summary>Shows an experiment in another project too (created when missing); Comet's docs spell the key <c>exerimentKey</c>, so both are read.</summary>
    public static async Task<SymlinkResponse> Symlink(
        HttpContext http, string? experimentKey, string? exerimentKey, string? projectName, ExperimentRepository experiments, ProjectRepository projects, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey ?? exerimentKey);
        var name = projectName ?? throw CometException.MissingField("projectName");
        await experiments.GetAsync(id, ct);
        var project = await projects.GetOrCreateAsync(new ProjectDraft(name), http.Caller().Identity.UserId, ct);
        await experiments.LinkAsync(id, project.Id, ct);
        return new SymlinkResponse(CometExperiments.Link(http, project.Name, id));
    }

    public sealed record Column(string Name, string Id, string Type, string Source, List<string> Kinds);

    public sealed record ColumnsResponse(List<Column> Columns);

    private static readonly (string Name, string Type)[] MetadataColumns =
        [("experimentKey", "string"), ("experimentName", "string"), ("startTime", "datetime"), ("endTime", "datetime"), ("duration", "timenumber")];

    /// <summary>What experiments of the project can be queried by: their metadata, tags, metric names, parameter and other names.</summary>
    public static async Task<ColumnsResponse> ColumnNames(
        HttpContext http, string? workspaceName, string? projectId, string? projectName, ProjectRepository projects, ProjectContents contents, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        var project = await ResolveAsync(projectId, projectName, projects, ct);
        var metrics = (await contents.MetricVariantsAsync([project.Id], ct)).Select(m => m.Metric).Distinct();
        var (parameters, _) = await contents.HyperParameterNamesAsync([project.Id], new Data.Querying.Page(0, Data.Querying.Page.MaxSize), ct);
        Column Of(string name, string type, string source) => new(name, $"{name}--{source}", type, source, [type]);
        return new ColumnsResponse([
            .. MetadataColumns.Select(c => Of(c.Name, c.Type, "metadata")),
            Of("tags", "string", "tag"),
            .. metrics.Select(m => Of(m, "double", "metrics")),
            .. parameters.Where(p => p.Section != CometParameters.OthersSection)
                .Select(p => Of(CometMapping.ParameterName(p.Section, p.Name), "string", "params")),
            .. parameters.Where(p => p.Section == CometParameters.OthersSection).Select(p => Of(p.Name, "string", "log_other")),
        ]);
    }

    public sealed record UpdateRequest(string? ProjectId, string? ProjectName, string? WorkspaceName, string? NewProjectName, string? NewProjectDescription, bool? IsPublic);

    public sealed record NotesRequest(string? ProjectId, string? Notes);

    public sealed record NotesResponse(string? Notes);

    /// <summary>Renames and re-describes a project named by id, or by workspace and name (query or body).</summary>
    public static async Task<MessageResponse> Update(
        HttpContext http, string? projectId, string? workspaceName, string? projectName, ProjectRepository projects, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<UpdateRequest>(http);
        CometWorkspaces.RequireWorkspace(http, request.WorkspaceName ?? workspaceName);
        var project = await ResolveAsync(request.ProjectId ?? projectId, request.ProjectName ?? projectName, projects, ct);
        await projects.UpdateAsync(project.Id, new ProjectChanges(request.NewProjectName, request.NewProjectDescription), ct);
        return new MessageResponse("Updated");
    }

    public static async Task<NotesResponse> GetNotes(string? projectId, ProjectRepository projects, CancellationToken ct) =>
        new((await ResolveAsync(projectId ?? throw CometException.MissingField("projectId"), null, projects, ct)).Notes);

    public static async Task<MessageResponse> SetNotes(HttpContext http, ProjectRepository projects, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<NotesRequest>(http);
        var project = await ResolveAsync(request.ProjectId ?? throw CometException.MissingField("projectId"), null, projects, ct);
        await projects.UpdateAsync(project.Id, new ProjectChanges(Notes: request.Notes ?? throw CometException.MissingField("notes")), ct);
        return new MessageResponse("Saved");
    }

    public sealed record ProjectDocument(string ProjectId, string ProjectName, string? OwnerUserName, string? ProjectDescription, string WorkspaceName);

    public sealed record ProjectsResponse(List<ProjectDocument> Projects);

    public sealed record CreateRequest(string? WorkspaceName, string? ProjectName, string? ProjectDescription, bool IsPublic);

    public sealed record CreateResponse(string ProjectId);

    public sealed record DeleteRequest(string? WorkspaceName, string? ProjectName, bool DeleteAllExperiments);

    public sealed record MessageResponse(string Msg);

    public static async Task<ProjectsResponse> List(HttpContext http, string? workspaceName, ReadSide reads, UserRepository users, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        var found = await (await reads.GetAsync<ProjectRepository>(ct)).QueryAsync(new ProjectQuery(OrderBy: [new("name", false)]), ct);
        var owners = await OwnersAsync(found, users, ct);
        return new ProjectsResponse([.. found.Select(p => Document(http, p, owners))]);
    }

    public static async Task<ProjectDocument> Get(
        HttpContext http, string? workspaceName, string? projectId, string? projectName, ProjectRepository projects, UserRepository users, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        var project = await ResolveAsync(projectId, projectName, projects, ct);
        return Document(http, project, await OwnersAsync([project], users, ct));
    }

    public static async Task<CreateResponse> Create(HttpContext http, ProjectRepository projects, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<CreateRequest>(http);
        CometWorkspaces.RequireWorkspace(http, request.WorkspaceName ?? throw CometException.MissingField("workspaceName"));
        var project = await projects.CreateAsync(
            new ProjectDraft(request.ProjectName ?? throw CometException.MissingField("projectName"), request.ProjectDescription),
            http.Caller().Identity.UserId, ct);
        return new CreateResponse(CometApi.Key(project.Id));
    }

    public static async Task<MessageResponse> Delete(HttpContext http, ProjectRepository projects, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<DeleteRequest>(http);
        CometWorkspaces.RequireWorkspace(http, request.WorkspaceName ?? throw CometException.MissingField("workspaceName"));
        var project = await ResolveAsync(null, request.ProjectName ?? throw CometException.MissingField("projectName"), projects, ct);
        await projects.DeleteAsync(project.Id, force: true, deleteContents: request.DeleteAllExperiments, ct);
        return new MessageResponse("Deleted");
    }

    /// <summary>A project by id, or else by name; neither found is Comet's 404.</summary>
    public static async Task<Project> ResolveAsync(string? projectId, string? projectName, ProjectRepository projects, CancellationToken ct)
    {
        if (projectId is not null)
        {
            return Guid.TryParse(projectId, out var id) ? await projects.GetAsync(id, ct) : throw new CometException(404, "Project not found");
        }
        return (await projects.FindByNameAsync(projectName ?? throw CometException.MissingField("projectId or projectName"), ct))
            ?? throw new CometException(404, "Project not found");
    }

    private static Task<Dictionary<Guid, string>> OwnersAsync(IEnumerable<Project> projects, UserRepository users, CancellationToken ct) =>
        CometWorkspaces.UserNamesAsync(projects.Select(p => p.UserId), users, ct);

    private static ProjectDocument Document(HttpContext http, Project p, Dictionary<Guid, string> owners) => new(
        CometApi.Key(p.Id),
        p.Name,
        p.UserId is { } owner ? owners.GetValueOrDefault(owner) : null,
        p.Description,
        http.Caller().Identity.WorkspaceName);
}
