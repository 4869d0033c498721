using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Querying;

namespace MlOps.Data.Repositories;

public sealed record TagSet(List<string> Tags, List<string> SystemTags);

public sealed record ParentExperiment(Guid Id, string Name, Guid? ProjectId, string? ProjectName);

/// <summary>Which experiments count in project statistics: by tags, system tags and type (empty lists allow all).</summary>
public sealed record StatsFilter(TagFilter? Tags, TagFilter? SystemTags, IReadOnlyList<string> Types, IReadOnlyList<string> ExcludedTypes);

public sealed record ProjectContentCounts(int Experiments, int ActiveExperiments, int Models, int ActiveModels);

/// <summary>What a project browser shows of a project's experiments: counts per status, runtime, recent completions.</summary>
public sealed record ProjectStats(
    IReadOnlyDictionary<ExperimentStatus, int> StatusCount, int Total, int CompletedLastDay, long RuntimeSeconds, DateTime? LastStarted);

/// <summary>
/// Questions about what a set of projects holds (tags in use, metric names, parameter names and values,
/// parents, users, counts), the kind that project browsers and comparison views ask. An empty
/// project list means the whole workspace.
/// </summary>
public sealed class ProjectContents(MlOpsDbContext db, TimeProvider clock)
{
    /// <summary>The given projects and, when asked, all their sub-projects.</summary>
    public async Task<List<Guid>> ExpandAsync(IReadOnlyList<Guid>? projectIds, bool includeSubprojects, CancellationToken ct)
    {
        if (projectIds is not { Count: > 0 } || !includeSubprojects)
        {
            return [.. projectIds ?? []];
        }
        return [.. (await WithDescendantsAsync(projectIds, ct)).Values.SelectMany(scope => scope).Distinct()];
    }

    /// <summary>
    /// Per project, stats over its archived or its active experiments, with its sub-projects' when
    /// <paramref name="withChildren"/>. Runtime is the sum of started-to-completed spans.
    /// </summary>
    public async Task<Dictionary<Guid, ProjectStats>> StatsAsync(
        IReadOnlyList<Guid> projectIds, bool archived, bool withChildren, StatsFilter? filter, CancellationToken ct)
    {
        var scopes = withChildren ? await WithDescendantsAsync(projectIds, ct) : projectIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<Guid>)[id]);
        var ids = scopes.Values.SelectMany(s => s).Distinct().ToList();
        var counted = db.Experiments.AsNoTracking()
            .Where(e => e.ProjectId != null && ids.Contains(e.ProjectId.Value) && e.SystemTags.Contains(ExperimentRepository.ArchivedTag) == archived);
        if (filter is not null)
        {
            counted = Filtered(counted, filter);
        }
        var rows = (await counted
            .Select(e => new { ProjectId = e.ProjectId!.Value, e.Status, e.StartedAt, e.CompletedAt })
            .ToListAsync(ct)).ToLookup(r => r.ProjectId);
        var dayAgo = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        return scopes.ToDictionary(s => s.Key, s =>
        {
            var mine = s.Value.SelectMany(id => rows[id]).ToList();
            return new ProjectStats(
                mine.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count()),
                mine.Count,
                mine.Count(r => r.Status == ExperimentStatus.Completed && r.CompletedAt >= dayAgo),
                mine.Where(r => r.StartedAt is not null && r.CompletedAt > r.StartedAt).Sum(r => (long)(r.CompletedAt!.Value - r.StartedAt!.Value).TotalSeconds),
                mine.Max(r => r.StartedAt));
        });
    }

    /// <summary>Each project with itself and every project below it (names are paths: a descendant's starts with "name/").</summary>
    private async Task<Dictionary<Guid, IReadOnlyList<Guid>>> WithDescendantsAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct)
    {
        var tree = (await db.Projects.AsNoTracking().Select(p => new { p.Id, p.Name }).ToListAsync(ct))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var names = tree.Select(p => p.Name).ToList();
        var byId = tree.ToDictionary(p => p.Id, p => p.Name);
        return projectIds.Distinct().ToDictionary(id => id, id =>
        {
            List<Guid> scope = [id];
            if (byId.TryGetValue(id, out var name))
            {
                var prefix = name + ProjectRepository.PathSeparator;
                var at = names.BinarySearch(prefix, StringComparer.Ordinal);
                for (var i = at < 0 ? ~at : at; i < names.Count && names[i].StartsWith(prefix, StringComparison.Ordinal); i++)
                {
                    scope.Add(tree[i].Id);
                }
            }
            return (IReadOnlyList<Guid>)scope;
        });
    }

    private static IQueryable<Experiment> Filtered(IQueryable<Experiment> experiments, StatsFilter filter)
    {
        if (filter.Tags is { IsEmpty: false } tags)
        {
            experiments = experiments.Where(tags.ToPredicate<Experiment>(e => e.Tags));
        }
        if (filter.SystemTags is { IsEmpty: false } systemTags)
        {
            experiments = experiments.Where(systemTags.ToPredicate<Experiment>(e => e.SystemTags));
        }
        if (filter.Types.Count > 0)
        {
            experiments = experiments.Where(e => filter.Types.Contains(e.Type));
        }
        return filter.ExcludedTypes.Count > 0 ? experiments.Where(e => !filter.ExcludedTypes.Contains(e.Type)) : experiments;
    }

    /// <summary>Each project's direct sub-projects (id and name), by name.</summary>
    public async Task<ILookup<Guid, (Guid Id, string Name)>> ChildrenAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct) =>
        (await db.Projects.AsNoTracking().Where(p => p.ParentId != null && projectIds.Contains(p.ParentId.Value)).OrderBy(p => p.Name)
            .Select(p => new { ParentId = p.ParentId!.Value, p.Id, p.Name }).ToListAsync(ct))
            .ToLookup(p => p.ParentId, p => (p.Id, p.Name));

    /// <summary>How many experiments and models each project holds itself (not its sub-projects), in one round trip.</summary>
    public async Task<Dictionary<Guid, (int Experiments, int Models)>> OwnCountsAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct)
    {
        var counts = await Experiments(projectIds).GroupBy(e => e.ProjectId!.Value).Select(g => new OwnCount { OfModels = false, ProjectId = g.Key, Count = g.Count() })
            .Concat(Models(projectIds).GroupBy(m => m.ProjectId!.Value).Select(g => new OwnCount { OfModels = true, ProjectId = g.Key, Count = g.Count() }))
            .ToListAsync(ct);
        var experiments = counts.Where(c => !c.OfModels).ToDictionary(c => c.ProjectId, c => c.Count);
        var models = counts.Where(c => c.OfModels).ToDictionary(c => c.ProjectId, c => c.Count);
        return projectIds.ToDictionary(id => id, id => (experiments.GetValueOrDefault(id), models.GetValueOrDefault(id)));
    }

    private sealed class OwnCount
    {
        public bool OfModels { get; init; }
        public Guid ProjectId { get; init; }
        public int Count { get; init; }
    }

    public Task<TagSet> ExperimentTagsAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct) =>
        TagsAsync(Experiments(projectIds).Select(e => new TagLists(e.Tags, e.SystemTags)), ct);

    public Task<TagSet> ModelTagsAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct) =>
        TagsAsync(Models(projectIds).Select(m => new TagLists(m.Tags, m.SystemTags)), ct);

    public Task<TagSet> ProjectTagsAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct)
    {
        var rows = db.Projects.AsNoTracking();
        if (projectIds.Count > 0)
        {
            rows = rows.Where(p => projectIds.Contains(p.Id));
        }
        return TagsAsync(rows.Select(p => new TagLists(p.Tags, p.SystemTags)), ct);
    }

    private sealed record TagLists(List<string> Tags, List<string> SystemTags);

    /// <summary>Tag lists are flattened here rather than in SQL, which SQLite's JSON-array columns cannot do portably.</summary>
    private static async Task<TagSet> TagsAsync(IQueryable<TagLists> rows, CancellationToken ct)
    {
        var lists = await rows.ToListAsync(ct);
        return new TagSet(
            [.. lists.SelectMany(l => l.Tags).Distinct().Order(StringComparer.Ordinal)],
            [.. lists.SelectMany(l => l.SystemTags).Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>Every (metric, variant) reported by the projects' experiments.</summary>
    public async Task<List<(string Metric, string Variant)>> MetricVariantsAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct)
    {
        var experiments = Experiments(projectIds).Select(e => e.Id);
        var pairs = await db.MetricSeries.AsNoTracking().Where(s => experiments.Contains(s.ExperimentId))
            .Select(s => new { s.Metric, s.Variant }).Distinct().OrderBy(s => s.Metric).ThenBy(s => s.Variant).ToListAsync(ct);
        return [.. pairs.Select(p => (p.Metric, p.Variant))];
    }

    /// <summary>The distinct hyperparameter (section, name) pairs, one page of them, and how many there are.</summary>
    public async Task<(List<(string Section, string Name)> Page, int Total)> HyperParameterNamesAsync(
        IReadOnlyList<Guid> projectIds, Querying.Page page, CancellationToken ct)
    {
        var names = Parameters(projectIds).Select(p => new { p.Section, p.Name }).Distinct();
        var total = await names.CountAsync(ct);
        var rows = await names.OrderBy(p => p.Section).ThenBy(p => p.Name).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        return ([.. rows.Select(r => (r.Section, r.Name))], total);
    }

    /// <summary>The distinct values one hyperparameter takes, optionally those matching a regex, one page and the total.</summary>
    public async Task<(List<string> Page, int Total)> HyperParameterValuesAsync(
        IReadOnlyList<Guid> projectIds, string section, string name, string? pattern, Querying.Page page, CancellationToken ct)
    {
        var values = Parameters(projectIds).Where(p => p.Section == section && p.Name == name && p.Value != null).Select(p => p.Value!);
        if (!string.IsNullOrEmpty(pattern))
        {
            var regex = ProjectRepository.ValidPattern(pattern);
            values = values.Where(v => System.Text.RegularExpressions.Regex.IsMatch(v, regex));
        }
        values = values.Distinct();
        return (await values.OrderBy(v => v).Skip(page.Skip).Take(page.Take).ToListAsync(ct), await values.CountAsync(ct));
    }

    /// <summary>The projects holding experiments the users created, and every project above them.</summary>
    public async Task<List<Guid>> ProjectsWithWorkOfAsync(IReadOnlyList<Guid> userIds, CancellationToken ct)
    {
        var names = await db.Projects.AsNoTracking()
            .Where(p => db.Experiments.Any(e => e.ProjectId == p.Id && e.UserId != null && userIds.Contains(e.UserId.Value)))
            .Select(p => p.Name).ToListAsync(ct);
        var withAncestors = names.SelectMany(n => n.Split(ProjectRepository.PathSeparator)
            .Select((_, i) => string.Join(ProjectRepository.PathSeparator, n.Split(ProjectRepository.PathSeparator).Take(i + 1)))).Distinct().ToList();
        return await db.Projects.AsNoTracking().Where(p => withAncestors.Contains(p.Name)).Select(p => p.Id).ToListAsync(ct);
    }

    /// <summary>The distinct metadata keys of the projects' models, one page of them (sorted), and how many there are.</summary>
    public async Task<(List<string> Page, int Total)> ModelMetadataKeysAsync(IReadOnlyList<Guid> projectIds, Querying.Page page, CancellationToken ct)
    {
        var keys = (await ModelMetadataAsync(projectIds, ct)).SelectMany(m => m.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        return ([.. keys.Skip(page.Skip).Take(page.Take)], keys.Count);
    }

    /// <summary>The distinct values the projects' models hold under one metadata key, one page of them (sorted), and the total.</summary>
    public async Task<(List<string> Page, int Total)> ModelMetadataValuesAsync(IReadOnlyList<Guid> projectIds, string key, Querying.Page page, CancellationToken ct)
    {
        var values = (await ModelMetadataAsync(projectIds, ct))
            .Select(m => m.GetValueOrDefault(key)?.Value).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        return ([.. values.Skip(page.Skip).Take(page.Take)], values.Count);
    }

    /// <summary>Model metadata is a JSON document per model, so the catalogue is read from the documents of the models that have one.</summary>
    private async Task<List<Dictionary<string, MetadataItem>>> ModelMetadataAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct) =>
        [.. (await Models(projectIds).Where(m => m.Metadata != null).Select(m => m.Metadata).ToListAsync(ct)).Select(MetadataDocument.Read)];

    /// <summary>The experiments that are parents of the projects' experiments (archived ones only, or only not archived ones).</summary>
    public async Task<List<ParentExperiment>> ParentsAsync(IReadOnlyList<Guid> projectIds, bool? archived, CancellationToken ct)
    {
        var children = Experiments(projectIds).Where(e => e.ParentId != null);
        if (archived is { } wantArchived)
        {
            children = children.Where(e => e.SystemTags.Contains(ExperimentRepository.ArchivedTag) == wantArchived);
        }
        var parentIds = children.Select(e => e.ParentId!.Value).Distinct();
        return await (
                from parent in db.Experiments.AsNoTracking().Where(e => parentIds.Contains(e.Id))
                join project in db.Projects on parent.ProjectId equals project.Id into projects
                from project in projects.DefaultIfEmpty()
                orderby parent.Name
                select new ParentExperiment(parent.Id, parent.Name, parent.ProjectId, project == null ? null : project.Name))
            .ToListAsync(ct);
    }

    /// <summary>The users who created experiments (or models) in the projects.</summary>
    public async Task<List<User>> CreatorsAsync(IReadOnlyList<Guid> projectIds, bool ofModels, CancellationToken ct)
    {
        var creators = ofModels ? Models(projectIds).Select(m => m.UserId) : Experiments(projectIds).Select(e => e.UserId);
        return await db.Users.AsNoTracking().Where(u => creators.Contains(u.Id)).OrderBy(u => u.Name).ToListAsync(ct);
    }

    public async Task<ProjectContentCounts> CountsAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct)
    {
        var experiments = Experiments(projectIds);
        var models = Models(projectIds);
        return new ProjectContentCounts(
            await experiments.CountAsync(ct),
            await experiments.CountAsync(e => !e.SystemTags.Contains(ExperimentRepository.ArchivedTag), ct),
            await models.CountAsync(ct),
            await models.CountAsync(m => !m.SystemTags.Contains(ExperimentRepository.ArchivedTag), ct));
    }

    private IQueryable<Experiment> Experiments(IReadOnlyList<Guid> projectIds) =>
        projectIds.Count == 0
            ? db.Experiments.AsNoTracking()
            : db.Experiments.AsNoTracking().Where(e => e.ProjectId != null && projectIds.Contains(e.ProjectId.Value));

    private IQueryable<Model> Models(IReadOnlyList<Guid> projectIds) =>
        projectIds.Count == 0
            ? db.Models.AsNoTracking()
            : db.Models.AsNoTracking().Where(m => m.ProjectId != null && projectIds.Contains(m.ProjectId.Value));

    private IQueryable<ExperimentParameter> Parameters(IReadOnlyList<Guid> projectIds)
    {
        var experiments = Experiments(projectIds).Select(e => e.Id);
        return db.ExperimentParameters.AsNoTracking()
            .Where(p => p.Kind == ParameterKind.Hyperparameter && experiments.Contains(p.ExperimentId));
    }
}
