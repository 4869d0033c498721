using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>projects.*</c> calls that describe what projects hold: tags, metrics, parameters, parents, users, counts.</summary>
public static class ProjectContentsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("projects.get_task_tags", (ClearMlCall c, ProjectContents p, CancellationToken ct) => Tags(c, p, p.ExperimentTagsAsync, ct));
        api.MapAction("projects.get_model_tags", (ClearMlCall c, ProjectContents p, CancellationToken ct) => Tags(c, p, p.ModelTagsAsync, ct));
        api.MapAction("projects.get_project_tags", (ClearMlCall c, ProjectContents p, CancellationToken ct) => Tags(c, p, p.ProjectTagsAsync, ct));
        api.MapAction("projects.get_unique_metric_variants", GetUniqueMetricVariants);
        api.MapAction("projects.get_hyper_parameters", GetHyperParameters);
        api.MapAction("projects.get_hyperparam_values", GetHyperparamValues);
        api.MapAction("projects.get_model_metadata_keys", GetModelMetadataKeys);
        api.MapAction("projects.get_model_metadata_values", GetModelMetadataValues);
        api.MapAction("projects.get_task_parents", GetTaskParents);
        api.MapAction("projects.get_user_names", GetUserNames);
        api.MapAction("projects.validate_delete", ValidateDelete);
        api.MapAction("projects.make_public", MakePublicOrPrivate);
        api.MapAction("projects.make_private", MakePublicOrPrivate);
    }

    public sealed record ScopeRequest
    {
        public string? Project { get; init; }
        public List<string>? Projects { get; init; }
        public bool IncludeSubprojects { get; init; } = true;
        public bool IncludeSystem { get; init; }
        public string? Section { get; init; }
        public string? Key { get; init; }
        public string? Name { get; init; }
        public string? Pattern { get; init; }
        public string? TasksState { get; init; }
        public string? Entity { get; init; }
        public int? Page { get; init; }
        public int? PageSize { get; init; }
    }

    public sealed record TagsResponse(List<string> Tags, List<string>? SystemTags);

    public sealed record MetricVariant(string Metric, string MetricHash, string Variant, string VariantHash);

    public sealed record MetricVariantsResponse(List<MetricVariant> Metrics);

    public sealed record HyperParameter(string Section, string Name);

    public sealed record HyperParametersResponse(List<HyperParameter> Parameters, int Remaining, int Total);

    public sealed record ValuesResponse(int Total, List<string> Values);

    public sealed record KeysResponse(List<string> Keys, int Remaining, int Total);

    public sealed record ParentProject(string? Id, string? Name);

    public sealed record Parent(string Id, string Name, ParentProject Project);

    public sealed record ParentsResponse(List<Parent> Parents);

    public sealed record UserName(string Id, string Name);

    public sealed record UserNamesResponse(List<UserName> Users);

    public sealed record ValidateDeleteResponse(int Tasks, int NonArchivedTasks, int Models, int NonArchivedModels, int Reports, int NonArchivedReports, int Pipelines, int Datasets);

    public sealed record UpdatedResponse(int Updated);

    private static async Task<TagsResponse> Tags(
        ClearMlCall call, ProjectContents contents, Func<IReadOnlyList<Guid>, CancellationToken, Task<TagSet>> query, CancellationToken ct)
    {
        var request = call.Read<ScopeRequest>();
        var tags = await query(await ScopeAsync(request, contents, ct), ct);
        return new TagsResponse(tags.Tags, request.IncludeSystem ? tags.SystemTags : null);
    }

    public static async Task<MetricVariantsResponse> GetUniqueMetricVariants(ClearMlCall call, ProjectContents contents, CancellationToken ct)
    {
        var pairs = await contents.MetricVariantsAsync(await ScopeAsync(call.Read<ScopeRequest>(), contents, ct), ct);
        return new MetricVariantsResponse([.. pairs.Select(p => new MetricVariant(p.Metric, TaskDocument.MetricKey(p.Metric), p.Variant, TaskDocument.MetricKey(p.Variant)))]);
    }

    public static async Task<HyperParametersResponse> GetHyperParameters(ClearMlCall call, ProjectContents contents, CancellationToken ct)
    {
        var request = call.Read<ScopeRequest>();
        var page = ClearMlQuery.ParsePage(request.Page, request.PageSize, null, null);
        var (names, total) = await contents.HyperParameterNamesAsync(await ScopeAsync(request, contents, ct), page, ct);
        return new HyperParametersResponse([.. names.Select(n => new HyperParameter(n.Section, n.Name))], Math.Max(0, total - page.Skip - names.Count), total);
    }

    public static async Task<ValuesResponse> GetHyperparamValues(ClearMlCall call, ProjectContents contents, CancellationToken ct)
    {
        var request = call.Read<ScopeRequest>();
        var section = request.Section ?? throw ClearMlException.MissingField("section");
        var name = request.Name ?? throw ClearMlException.MissingField("name");
        var page = ClearMlQuery.ParsePage(request.Page, request.PageSize, null, null);
        var (values, total) = await contents.HyperParameterValuesAsync(await ScopeAsync(request, contents, ct), section, name, request.Pattern, page, ct);
        return new ValuesResponse(total, values);
    }

    /// <summary>The metadata keys of the project's models (and its sub-projects' unless turned off), for the models table's columns.</summary>
    public static async Task<KeysResponse> GetModelMetadataKeys(ClearMlCall call, ProjectContents contents, CancellationToken ct)
    {
        var request = call.Read<ScopeRequest>();
        _ = request.Project ?? throw ClearMlException.MissingRequiredFields("project");
        var page = ClearMlQuery.ParsePage(request.Page, request.PageSize, null, null);
        var (keys, total) = await contents.ModelMetadataKeysAsync(await ScopeAsync(request, contents, ct), page, ct);
        return new KeysResponse(keys, Math.Max(0, total - page.Skip - keys.Count), total);
    }

    /// <summary>The values the models of the projects (all, when none are named) hold under one metadata key, for the column's filter.</summary>
    public static async Task<ValuesResponse> GetModelMetadataValues(ClearMlCall call, ProjectContents contents, CancellationToken ct)
    {
        var request = call.Read<ScopeRequest>();
        var key = request.Key ?? throw ClearMlException.MissingRequiredFields("key");
        var page = ClearMlQuery.ParsePage(request.Page, request.PageSize, null, null);
        var (values, total) = await contents.ModelMetadataValuesAsync(await ScopeAsync(request, contents, ct), key, page, ct);
        return new ValuesResponse(total, values);
    }

    public static async Task<ParentsResponse> GetTaskParents(ClearMlCall call, ProjectContents contents, CancellationToken ct)
    {
        var request = call.Read<ScopeRequest>();
        bool? archived = request.TasksState switch
        {
            null => null,
            "active" => false,
            "archived" => true,
            var other => throw ClearMlException.Validation($"tasks_state must be active or archived, not '{other}'"),
        };
        var parents = await contents.ParentsAsync(await ScopeAsync(request, contents, ct), archived, ct);
        return new ParentsResponse([.. parents.Select(p => new Parent(p.Id.ToString("N"), p.Name, new ParentProject(p.ProjectId?.ToString("N"), p.ProjectName)))]);
    }

    public static async Task<UserNamesResponse> GetUserNames(ClearMlCall call, ProjectContents contents, CancellationToken ct)
    {
        var request = call.Read<ScopeRequest>();
        var users = await contents.CreatorsAsync(await ScopeAsync(request, contents, ct), request.Entity == "model", ct);
        return new UserNamesResponse([.. users.Select(u => new UserName(u.Id.ToString("N"), u.Name))]);
    }

    public static async Task<ValidateDeleteResponse> ValidateDelete(ClearMlCall call, ProjectRepository projects, ProjectContents contents, CancellationToken ct)
    {
        var id = ClearMlErrors.ParseId(call.Read<ScopeRequest>().Project ?? throw ClearMlException.MissingField("project"), EntityKind.Project);
        await projects.GetAsync(id, ct);
        var counts = await contents.CountsAsync(await contents.ExpandAsync([id], includeSubprojects: true, ct), ct);
        return new ValidateDeleteResponse(counts.Experiments, counts.ActiveExperiments, counts.Models, counts.ActiveModels, 0, 0, 0, 0);
    }

    /// <summary>Projects never leave their workspace here, so there is nothing to make public or private.</summary>
    public static UpdatedResponse MakePublicOrPrivate() => new(0);

    private static async Task<List<Guid>> ScopeAsync(ScopeRequest request, ProjectContents contents, CancellationToken ct)
    {
        var ids = (request.Projects ?? (request.Project is null ? [] : [request.Project]))
            .Select(p => ClearMlErrors.ParseId(p, EntityKind.Project)).ToList();
        return await contents.ExpandAsync(ids, request.IncludeSubprojects, ct);
    }
}
