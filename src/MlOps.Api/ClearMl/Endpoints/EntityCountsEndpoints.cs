using System.Text.Json.Nodes;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>organization.get_entities_count</c>: for each kind of object asked for (projects, tasks, models, pipelines,
/// datasets, reports), how many match its criteria, written as that kind's get_all request.
/// </summary>
public static class EntityCountsEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapAction("organization.get_entities_count", GetEntitiesCount);

    private static readonly string[] ProjectKinds = ["projects", "pipelines", "datasets"];
    private static readonly string[] Kinds = ["projects", "tasks", "models", "pipelines", "datasets", "reports"];

    public sealed record CountsRequest(bool SearchHidden, List<string>? ActiveUsers);

    /// <summary>
    /// Projects and tasks leave hidden ones out unless <c>search_hidden</c>; pipelines, datasets and reports (hidden by
    /// nature) and models never do. With <c>active_users</c>, tasks, models and reports count those users' own, and
    /// projects only those holding their tasks.
    /// </summary>
    public static async Task<Dictionary<string, int>> GetEntitiesCount(
        ClearMlCall call, ProjectRepository projects, ExperimentRepository tasks, ModelRepository models, ProjectContents contents, CancellationToken ct)
    {
        var request = call.Read<CountsRequest>();
        var users = request.ActiveUsers is { Count: > 0 } given ? given : null;
        var counts = new Dictionary<string, int>();
        foreach (var kind in Kinds.Where(k => call.Fields[k] is not null))
        {
            var criteria = call.Fields[kind] as JsonObject is { } asked
                ? (JsonObject)asked.DeepClone()
                : throw ClearMlException.Validation($"invalid value for field '{kind}'");
            criteria.Remove("page");
            criteria.Remove("page_size");
            criteria["search_hidden"] = kind is "models" or "pipelines" or "datasets" or "reports" || request.SearchHidden;
            if (users is not null && !ProjectKinds.Contains(kind) && criteria["user"] is null)
            {
                criteria["user"] = new JsonArray([.. users.Select(u => JsonValue.Create(u))]);
            }
            var query = ClearMlCall.WithFields(call.Http, criteria);
            counts[kind] = kind switch
            {
                "tasks" => await tasks.CountAsync(TasksEndpoints.QueryOf(query.Read<TasksEndpoints.GetAllRequest>()), ct),
                "reports" => await CountReportsAsync(query, tasks, contents, ct),
                "models" => await models.CountAsync(ModelsEndpoints.QueryOf(query.Read<ModelsEndpoints.GetAllRequest>()), ct),
                _ => await CountProjectsAsync(query, projects, contents, users, ct),
            };
        }
        return counts;
    }

    private static async Task<int> CountReportsAsync(ClearMlCall query, ExperimentRepository tasks, ProjectContents contents, CancellationToken ct)
    {
        var selection = TasksEndpoints.QueryOf(query.Read<TasksEndpoints.GetAllRequest>()) with { Types = [ReportRepository.ReportType] };
        if (selection.ProjectIds is { Count: > 0 } projectIds)
        {
            selection = selection with { ProjectIds = await contents.ExpandAsync(projectIds, includeSubprojects: true, ct) };
        }
        return await tasks.CountAsync(selection, ct);
    }

    private static async Task<int> CountProjectsAsync(
        ClearMlCall query, ProjectRepository projects, ProjectContents contents, List<string>? users, CancellationToken ct)
    {
        var selection = ProjectsEndpoints.QueryOf(query.Read<ProjectsEndpoints.GetAllRequest>());
        if (users is not null)
        {
            var withWork = await contents.ProjectsWithWorkOfAsync([.. users.Select(u => ClearMlErrors.ParseId(u, EntityKind.User))], ct);
            var ids = selection.Ids is { Count: > 0 } wanted ? [.. withWork.Intersect(wanted)] : withWork;
            if (ids.Count == 0)
            {
                return 0;
            }
            selection = selection with { Ids = ids };
        }
        return await projects.CountAsync(selection, ct);
    }
}
