using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Querying;

namespace MlOps.Data.Repositories;

public sealed record ExperimentQuery
{
    public IReadOnlyList<Guid>? Ids { get; init; }
    public string? NamePattern { get; init; }
    public IReadOnlyList<Guid>? ProjectIds { get; init; }
    /// <summary>With <see cref="ProjectIds"/>: also the experiments linked into those projects (Comet symlinks).</summary>
    public bool IncludeLinked { get; init; }
    public IReadOnlyList<Guid>? ParentIds { get; init; }
    public IReadOnlyList<ExperimentStatus>? Statuses { get; init; }
    public IReadOnlyList<ExperimentStatus>? ExcludedStatuses { get; init; }
    public IReadOnlyList<string>? Types { get; init; }
    public IReadOnlyList<string>? ExcludedTypes { get; init; }
    public IReadOnlyList<Guid>? UserIds { get; init; }
    public TagFilter? Tags { get; init; }
    public TagFilter? SystemTags { get; init; }
    /// <summary>Substring searched in name, comment and id.</summary>
    public string? SearchText { get; init; }
    public IReadOnlyList<SortKey>? OrderBy { get; init; }
    public Page? Page { get; init; }
    public bool IncludeParameters { get; init; } = true;
    public ExperimentDocuments Documents { get; init; } = ExperimentDocuments.All;
}

/// <summary>The rules and queries for experiments (ClearML tasks, Comet experiments).</summary>
public sealed partial class ExperimentRepository(MlOpsDbContext db, TimeProvider clock)
{
    /// <summary>The system tag that marks an object as archived.</summary>
    public const string ArchivedTag = "archived";

    private static readonly Dictionary<string, System.Linq.Expressions.Expression<Func<Experiment, object?>>> Sortable = new()
    {
        ["id"] = e => e.Id,
        ["name"] = e => e.Name,
        ["type"] = e => e.Type,
        ["status"] = e => e.Status,
        ["created"] = e => e.CreatedAt,
        ["started"] = e => e.StartedAt,
        ["completed"] = e => e.CompletedAt,
        ["last_update"] = e => e.LastUpdate,
        ["last_change"] = e => e.LastChangedAt,
        ["status_changed"] = e => e.StatusChangedAt,
        ["last_iteration"] = e => e.LastIteration,
        ["comment"] = e => e.Comment,
        ["project"] = e => e.ProjectId,
        ["parent"] = e => e.ParentId,
    };

    public async Task<Experiment> GetAsync(Guid id, CancellationToken ct) =>
        await db.Experiments.AsNoTracking().Include(e => e.Parameters).AsSplitQuery().SingleOrDefaultAsync(e => e.Id == id, ct)
        ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));

    /// <summary>Every experiment of the projects, with its parameters (MLflow's run searches, which filter and order in memory).</summary>
    public Task<List<Experiment>> AllInProjectsAsync(IReadOnlyCollection<Guid> projectIds, CancellationToken ct) =>
        db.Experiments.AsNoTracking().Include(e => e.Parameters).AsSplitQuery()
            .Where(e => e.ProjectId != null && projectIds.Contains(e.ProjectId.Value)).ToListAsync(ct);

    public async Task<List<Experiment>> QueryAsync(ExperimentQuery query, CancellationToken ct)
    {
        var rows = Filter(query);
        var everything = query.Documents == ExperimentDocuments.All;
        if (everything && query.IncludeParameters)
        {
            rows = rows.Include(e => e.Parameters);
        }
        var page = query.Page ?? Page.First;
        rows = rows.OrderByKeys(query.OrderBy, Sortable, e => e.Id, BySeries).Skip(page.Skip).Take(page.Take);
        if (!everything)
        {
            rows = Columns.Without(rows, db.Model, ExperimentDocumentColumns.Skipped(query.Documents), query.IncludeParameters ? [nameof(Experiment.Parameters)] : []);
        }
        return await (query.IncludeParameters ? rows.AsSplitQuery() : rows).ToListAsync(ct);
    }

    /// <summary>How many experiments the query selects (its page and order aside).</summary>
    public Task<int> CountAsync(ExperimentQuery query, CancellationToken ct) => Filter(query).CountAsync(ct);

    private IQueryable<Experiment> Filter(ExperimentQuery query)
    {
        var rows = db.Experiments.AsNoTracking();
        if (query.Ids is { Count: > 0 } ids)
        {
            rows = rows.Where(e => ids.Contains(e.Id));
        }
        if (!string.IsNullOrEmpty(query.NamePattern))
        {
            var pattern = ProjectRepository.ValidPattern(query.NamePattern);
            rows = rows.Where(e => Regex.IsMatch(e.Name, pattern));
        }
        if (query.ProjectIds is [var only] && !query.IncludeLinked)
        {
            rows = rows.Where(e => e.ProjectId == only); // an equality the (project, time) indexes return in order
        }
        else if (query.ProjectIds is { Count: > 0 } projects)
        {
            rows = query.IncludeLinked
                ? rows.Where(e => (e.ProjectId != null && projects.Contains(e.ProjectId.Value))
                    || db.ExperimentLinks.Any(l => l.ExperimentId == e.Id && projects.Contains(l.ProjectId)))
                : rows.Where(e => e.ProjectId != null && projects.Contains(e.ProjectId.Value));
        }
        if (query.ParentIds is { Count: > 0 } parents)
        {
            rows = rows.Where(e => e.ParentId != null && parents.Contains(e.ParentId.Value));
        }
        if (query.Statuses is { Count: > 0 } statuses)
        {
            rows = rows.Where(e => statuses.Contains(e.Status));
        }
        if (query.ExcludedStatuses is { Count: > 0 } excludedStatuses)
        {
            rows = rows.Where(e => !excludedStatuses.Contains(e.Status));
        }
        if (query.Types is { Count: > 0 } types)
        {
            rows = rows.Where(e => types.Contains(e.Type));
        }
        if (query.ExcludedTypes is { Count: > 0 } excludedTypes)
        {
            rows = rows.Where(e => !excludedTypes.Contains(e.Type));
        }
        if (query.UserIds is { Count: > 0 } users)
        {
            rows = rows.Where(e => e.UserId != null && users.Contains(e.UserId.Value));
        }
        if (query.Tags is { IsEmpty: false } tags)
        {
            rows = rows.Where(tags.ToPredicate<Experiment>(e => e.Tags));
        }
        if (query.SystemTags is { IsEmpty: false } systemTags)
        {
            rows = rows.Where(systemTags.ToPredicate<Experiment>(e => e.SystemTags));
        }
        if (!string.IsNullOrEmpty(query.SearchText))
        {
            var text = query.SearchText;
            rows = rows.Where(e => e.Name.Contains(text) || (e.Comment != null && e.Comment.Contains(text)));
        }
        return rows;
    }

    /// <summary>
    /// An experiment's summary of one series, for ordering; an experiment without that series sorts as the least value
    /// (first ascending, last descending), on every provider.
    /// </summary>
    private Expression<Func<Experiment, object?>>? BySeries(SortKey key)
    {
        if (key.Series is not { } sort)
        {
            return null;
        }
        var series = db.MetricSeries.Where(s => s.Metric == sort.Metric && s.Variant == sort.Variant);
        return sort.Summary switch
        {
            SeriesSummary.Min => e => series.Where(s => s.ExperimentId == e.Id).Select(s => (double?)s.MinValue).FirstOrDefault() ?? double.MinValue,
            SeriesSummary.Max => e => series.Where(s => s.ExperimentId == e.Id).Select(s => (double?)s.MaxValue).FirstOrDefault() ?? double.MinValue,
            _ => e => series.Where(s => s.ExperimentId == e.Id).Select(s => (double?)s.LastValue).FirstOrDefault() ?? double.MinValue,
        };
    }

    /// <summary>The distinct (metric, variant) names of the workspace's series.</summary>
    public async Task<List<(string Metric, string Variant)>> SeriesNamesAsync(CancellationToken ct) =>
        [.. (await db.MetricSeries.AsNoTracking().Select(s => new { s.Metric, s.Variant }).Distinct().ToListAsync(ct))
            .Select(s => (s.Metric, s.Variant))];

    /// <summary>The distinct experiment types in use, in the given projects or all.</summary>
    public Task<List<string>> TypesAsync(IReadOnlyList<Guid>? projectIds, CancellationToken ct)
    {
        var rows = db.Experiments.AsNoTracking();
        if (projectIds is { Count: > 0 })
        {
            rows = rows.Where(e => e.ProjectId != null && projectIds.Contains(e.ProjectId.Value));
        }
        return rows.Select(e => e.Type).Distinct().OrderBy(t => t).ToListAsync(ct);
    }

    /// <summary>Fails as not found unless every experiment exists (in the workspace).</summary>
    public Task RequireAllAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => db.Experiments.RequireAllAsync(ids, EntityKind.Experiment, ct);

    /// <summary>The status of each of the given experiments that exists in this workspace.</summary>
    public async Task<Dictionary<Guid, ExperimentStatus>> StatusesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Experiments.Where(e => ids.Contains(e.Id)).Select(e => new { e.Id, e.Status }).ToDictionaryAsync(e => e.Id, e => e.Status, ct);

    internal static string Wire(ExperimentStatus status) => Regex.Replace(status.ToString(), "(?<=[a-z])([A-Z])", "_$1").ToLowerInvariant();
}
