using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Querying;

namespace MlOps.Data.Repositories;

public sealed record ParameterValue(string Section, string Name, string? Value, string? Type, string? Description);

public sealed record ExperimentDraft(
    string Name,
    string Type,
    Guid? ProjectId,
    Guid? ParentId = null,
    string? Comment = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? SystemTags = null);

/// <summary>A partial update: null members are left as they are; parameter lists replace that kind wholesale.</summary>
public sealed record ExperimentChanges
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public string? Comment { get; init; }
    public Guid? ProjectId { get; init; }
    public Guid? ParentId { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyList<string>? SystemTags { get; init; }
    public string? StatusReason { get; init; }
    public string? StatusMessage { get; init; }
    public string? Script { get; init; }
    public string? Runtime { get; init; }
    public string? Execution { get; init; }
    public string? Output { get; init; }
    public string? Container { get; init; }
    public string? Models { get; init; }
    public string? SystemDetails { get; init; }
    public string? Html { get; init; }
    public string? Code { get; init; }
    public string? Graph { get; init; }
    public IReadOnlyList<ParameterValue>? Hyperparameters { get; init; }
    public IReadOnlyList<ParameterValue>? Configuration { get; init; }

    public bool IsEmpty => this == new ExperimentChanges();
}

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
}

/// <summary>How new parameter values combine with the stored ones of the same kind.</summary>
public enum ParameterMerge
{
    /// <summary>Set each given value, keep the others.</summary>
    Merge,
    /// <summary>Replace every section that appears among the given values.</summary>
    ReplaceSections,
    /// <summary>Replace all values of the kind.</summary>
    ReplaceAll,
}

/// <summary>A status change as applied: the status, reason and timestamps now on the row.</summary>
public sealed record StatusChange(
    ExperimentStatus Status, string Reason, DateTime ChangedAt, DateTime? StartedAt, DateTime? CompletedAt, DateTime? PublishedAt);

/// <summary>The rules and queries for experiments (ClearML tasks, Comet experiments).</summary>
public sealed class ExperimentRepository(MlOpsDbContext db)
{
    /// <summary>The system tag that marks an object as archived.</summary>
    public const string ArchivedTag = "archived";

    private const string ResetReason = "reset";

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

    public async Task<Experiment> CreateAsync(ExperimentDraft draft, ExperimentChanges details, Guid? userId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(draft.Name))
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.Experiment, "name must not be empty");
        }
        await RequireReferencesAsync(draft.ProjectId, draft.ParentId, ct);
        var experiment = new Experiment
        {
            Name = draft.Name,
            Type = draft.Type,
            ProjectId = draft.ProjectId,
            ParentId = draft.ParentId,
            UserId = userId,
            Comment = draft.Comment,
            Tags = [.. draft.Tags ?? []],
            SystemTags = [.. draft.SystemTags ?? []],
        };
        Apply(experiment, details with { Name = null, Type = null, ProjectId = null, ParentId = null, Comment = null, Tags = null, SystemTags = null });
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(ct);
        return experiment;
    }

    public async Task<Experiment> GetAsync(Guid id, CancellationToken ct) =>
        await db.Experiments.AsNoTracking().Include(e => e.Parameters).AsSplitQuery().SingleOrDefaultAsync(e => e.Id == id, ct)
        ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));

    /// <summary>Shows the experiment in another project too (Comet symlinks); linking it twice, or into its own project, changes nothing.</summary>
    public async Task LinkAsync(Guid id, Guid projectId, CancellationToken ct)
    {
        var experiment = await GetAsync(id, ct);
        if (experiment.ProjectId == projectId || await db.ExperimentLinks.AnyAsync(l => l.ExperimentId == id && l.ProjectId == projectId, ct))
        {
            return;
        }
        db.ExperimentLinks.Add(new ExperimentLink { ExperimentId = id, ProjectId = projectId });
        await db.SaveChangesAsync(ct);
    }

    public async Task<List<Experiment>> QueryAsync(ExperimentQuery query, CancellationToken ct)
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
        if (query.ProjectIds is { Count: > 0 } projects)
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
        if (query.IncludeParameters)
        {
            rows = rows.Include(e => e.Parameters).AsSplitQuery();
        }
        var page = query.Page ?? Page.First;
        return await rows.OrderByKeys(query.OrderBy, Sortable, e => e.Id).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
    }

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

    /// <summary>The status of each of the given experiments that exists in this workspace.</summary>
    /// <summary>Fails as not found unless every experiment exists (in the workspace).</summary>
    public async Task RequireAllAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var found = await db.Experiments.Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct);
        foreach (var missing in ids.Except(found))
        {
            throw DomainException.NotFound(EntityKind.Experiment, missing.ToString("N"));
        }
    }

    public async Task<Dictionary<Guid, ExperimentStatus>> StatusesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Experiments.Where(e => ids.Contains(e.Id)).Select(e => new { e.Id, e.Status }).ToDictionaryAsync(e => e.Id, e => e.Status, ct);

    /// <summary>Applies the changes; unless forced, only an experiment still in <c>created</c> may be edited.</summary>
    public async Task<Experiment> EditAsync(Guid id, ExperimentChanges changes, bool force, Guid? userId, CancellationToken ct)
    {
        var experiment = await db.Experiments.Include(e => e.Parameters).SingleOrDefaultAsync(e => e.Id == id, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        if (!force && experiment.Status != ExperimentStatus.Created)
        {
            throw NotCreated(experiment);
        }
        return await UpdateAsync(experiment, changes, userId, ct);
    }

    /// <summary>Changes that any status allows (name, comment, tags, ...).</summary>
    public async Task<Experiment> UpdateAsync(Guid id, ExperimentChanges changes, Guid? userId, CancellationToken ct)
    {
        var experiment = await db.Experiments.Include(e => e.Parameters).SingleOrDefaultAsync(e => e.Id == id, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        return await UpdateAsync(experiment, changes, userId, ct);
    }

    private async Task<Experiment> UpdateAsync(Experiment experiment, ExperimentChanges changes, Guid? userId, CancellationToken ct)
    {
        if (changes.IsEmpty)
        {
            return experiment;
        }
        await RequireReferencesAsync(changes.ProjectId, changes.ParentId, ct);
        Apply(experiment, changes);
        Touch(experiment, userId);
        await db.SaveChangesAsync(ct);
        return experiment;
    }

    /// <summary>
    /// Sets parameter values of one kind. Parameters belong to the experiment's definition, so only a
    /// <c>created</c> one may change them, a running one too when forced, and any one when
    /// <paramref name="anyStatus"/> (values that describe rather than define the run, e.g. user properties).
    /// </summary>
    public async Task SetParametersAsync(
        Guid id, ParameterKind kind, IReadOnlyList<ParameterValue> values, ParameterMerge merge, bool force, bool anyStatus,
        Guid? userId, CancellationToken ct)
    {
        var experiment = await LoadForParameterChangeAsync(id, force, anyStatus, ct);
        Func<ExperimentParameter, bool> replaced = merge switch
        {
            ParameterMerge.ReplaceAll => _ => true,
            ParameterMerge.ReplaceSections => p => values.Any(v => v.Section == p.Section),
            _ => p => values.Any(v => v.Section == p.Section && v.Name == p.Name),
        };
        SyncParameters(experiment, kind, values, replaced);
        Touch(experiment, userId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Deletes the named values (a null name deletes the whole section); returns how many went.</summary>
    public async Task<int> DeleteParametersAsync(
        Guid id, ParameterKind kind, IReadOnlyList<(string Section, string? Name)> keys, bool force, bool anyStatus,
        Guid? userId, CancellationToken ct)
    {
        var experiment = await LoadForParameterChangeAsync(id, force, anyStatus, ct);
        var doomed = experiment.Parameters
            .Where(p => p.Kind == kind && keys.Any(k => k.Section == p.Section && (k.Name is null || k.Name == p.Name)))
            .ToList();
        foreach (var parameter in doomed)
        {
            experiment.Parameters.Remove(parameter);
        }
        Touch(experiment, userId);
        await db.SaveChangesAsync(ct);
        return doomed.Count;
    }

    /// <summary>Sets when the run started and ended, as a client that recorded them reports (either may be left as is).</summary>
    public async Task SetRunTimesAsync(Guid id, DateTime? started, DateTime? completed, CancellationToken ct)
    {
        var experiment = await db.Experiments.SingleOrDefaultAsync(e => e.Id == id, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        experiment.StartedAt = started ?? experiment.StartedAt;
        experiment.CompletedAt = completed ?? experiment.CompletedAt;
        experiment.LastUpdate = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds or removes the <see cref="ArchivedTag"/> system tag (archiving changes nothing else).</summary>
    public async Task SetArchivedAsync(Guid id, bool archived, Guid? userId, CancellationToken ct)
    {
        var experiment = await db.Experiments.Include(e => e.Parameters).SingleOrDefaultAsync(e => e.Id == id, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        var systemTags = archived
            ? [.. experiment.SystemTags.Append(ArchivedTag).Distinct()]
            : experiment.SystemTags.Where(t => t != ArchivedTag).ToList();
        await UpdateAsync(experiment, new ExperimentChanges { SystemTags = systemTags }, userId, ct);
    }

    /// <summary>Raises the last iteration to <paramref name="iteration"/> if it is lower.</summary>
    public Task<int> RaiseLastIterationAsync(Guid id, long iteration, CancellationToken ct) =>
        db.Experiments.Where(e => e.Id == id && e.LastIteration < iteration)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LastIteration, iteration), ct);

    /// <summary>Records that the run is alive (ClearML's ping): its last update moves to now.</summary>
    public async Task RecordActivityAsync(Guid id, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        if (await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.LastUpdate, now), ct) == 0)
        {
            throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        }
    }

    private async Task<Experiment> LoadForParameterChangeAsync(Guid id, bool force, bool anyStatus, CancellationToken ct)
    {
        var experiment = await db.Experiments.Include(e => e.Parameters).SingleOrDefaultAsync(e => e.Id == id, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        var allowed = anyStatus || experiment.Status == ExperimentStatus.Created || (force && experiment.Status == ExperimentStatus.InProgress);
        return allowed
            ? experiment
            : throw NotCreated(experiment);
    }

    /// <summary>Only an experiment still in <c>created</c> may have its definition changed (unless forced).</summary>
    private static DomainException NotCreated(Experiment experiment) => DomainException.Broken(DomainError.InvalidState, EntityKind.Experiment,
        new RuleViolation(experiment.Id.ToString("N"), Wire(experiment.Status), Wire(ExperimentStatus.Created), CanForce: true),
        $"the experiment is {Wire(experiment.Status)}; only a created one can be changed");

    private static void Touch(Experiment experiment, Guid? userId)
    {
        experiment.LastChangedAt = experiment.LastUpdate = DateTime.UtcNow;
        experiment.LastChangedBy = userId;
    }

    /// <summary>
    /// Moves the experiment to <paramref name="target"/> if the state machine allows it (or
    /// <paramref name="force"/>). The write is conditional on the status read, so two concurrent
    /// changes cannot both succeed from the same status.
    /// </summary>
    public async Task<StatusChange> ChangeStatusAsync(
        Guid id, ExperimentStatus target, bool force, string? reason, string? message, Guid? userId, CancellationToken ct)
    {
        var current = await db.Experiments.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new { e.Status, e.StartedAt, e.CompletedAt, e.PublishedAt })
            .SingleOrDefaultAsync(ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        if (!ExperimentLifecycle.CanMove(current.Status, target, force))
        {
            throw DomainException.Broken(DomainError.InvalidTransition, EntityKind.Experiment,
                new RuleViolation(id.ToString("N"), Wire(current.Status), Wire(target), CanForce: true),
                $"the experiment cannot go from {Wire(current.Status)} to {Wire(target)}");
        }
        var now = DateTime.UtcNow;
        var started = target == ExperimentStatus.InProgress && current.StartedAt is null ? now : current.StartedAt;
        var completed = target is ExperimentStatus.Completed or ExperimentStatus.Stopped ? now : current.CompletedAt;
        var published = target == ExperimentStatus.Published ? now : current.PublishedAt;
        var updated = await db.Experiments.Where(e => e.Id == id && e.Status == current.Status).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Status, target)
            .SetProperty(e => e.StatusReason, reason ?? "")
            .SetProperty(e => e.StatusMessage, message ?? "")
            .SetProperty(e => e.StatusChangedAt, now)
            .SetProperty(e => e.LastUpdate, now)
            .SetProperty(e => e.LastChangedAt, now)
            .SetProperty(e => e.LastChangedBy, userId)
            .SetProperty(e => e.StartedAt, started)
            .SetProperty(e => e.CompletedAt, completed)
            .SetProperty(e => e.PublishedAt, published), ct);
        if (updated == 0)
        {
            throw new DomainException(DomainError.InvalidState, EntityKind.Experiment,
                "failed changing task status. probably someone changed it before you");
        }
        return new StatusChange(target, reason ?? "", now, started, completed, published);
    }

    /// <summary>
    /// Back to <c>created</c> as if never run: timestamps, progress and every reported metric and event are cleared.
    /// A published experiment only when forced.
    /// </summary>
    public async Task<StatusChange> ResetAsync(Guid id, bool force, Guid? userId, CancellationToken ct)
    {
        var status = await db.Experiments.Where(e => e.Id == id).Select(e => (ExperimentStatus?)e.Status).SingleOrDefaultAsync(ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        if (status == ExperimentStatus.Published && !force)
        {
            throw new DomainException(DomainError.InvalidState, EntityKind.Experiment, $"cannot reset a task in status {Wire(status)}");
        }
        var now = DateTime.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.MetricSeries.Where(s => s.ExperimentId == id).ExecuteDeleteAsync(ct);
        await db.Events.Where(e => e.ExperimentId == id).ExecuteDeleteAsync(ct);
        await db.QueueEntries.Where(e => e.ExperimentId == id).ExecuteDeleteAsync(ct);
        await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.QueueId, (Guid?)null)
            .SetProperty(e => e.Status, ExperimentStatus.Created)
            .SetProperty(e => e.StatusReason, ResetReason)
            .SetProperty(e => e.StatusMessage, ResetReason)
            .SetProperty(e => e.StatusChangedAt, now)
            .SetProperty(e => e.LastUpdate, now)
            .SetProperty(e => e.LastChangedAt, now)
            .SetProperty(e => e.LastChangedBy, userId)
            .SetProperty(e => e.StartedAt, (DateTime?)null)
            .SetProperty(e => e.CompletedAt, (DateTime?)null)
            .SetProperty(e => e.PublishedAt, (DateTime?)null)
            .SetProperty(e => e.LastIteration, 0L)
            .SetProperty(e => e.Runtime, (string?)null), ct);
        await transaction.CommitAsync(ct);
        return new StatusChange(ExperimentStatus.Created, ResetReason, now, null, null, null);
    }

    /// <summary>
    /// Deletes the experiment with its parameters, metrics and events. Without force only one that never
    /// ran (still <c>created</c>) or one carrying the <see cref="ArchivedTag"/> system tag.
    /// </summary>
    public async Task DeleteAsync(Guid id, bool force, CancellationToken ct)
    {
        var current = await db.Experiments.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new { e.Status, Archived = e.SystemTags.Contains(ArchivedTag) })
            .SingleOrDefaultAsync(ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        if (!force && current.Status != ExperimentStatus.Created && !current.Archived)
        {
            throw DomainException.Broken(DomainError.NotDeletable, EntityKind.Experiment,
                new RuleViolation(id.ToString("N"), Wire(current.Status), Wire(ExperimentStatus.Created), CanForce: true),
                $"the experiment is {Wire(current.Status)}; only a created or archived one can be deleted");
        }
        await db.Experiments.Where(e => e.Id == id).ExecuteDeleteAsync(ct);
    }

    private async Task RequireReferencesAsync(Guid? projectId, Guid? parentId, CancellationToken ct)
    {
        if (projectId is { } project && !await db.Projects.AnyAsync(p => p.Id == project, ct))
        {
            throw new DomainException(DomainError.InvalidReference, EntityKind.Project, $"expecting Project id: project={project:N}");
        }
        if (parentId is { } parent && !await db.Experiments.AnyAsync(e => e.Id == parent, ct))
        {
            throw new DomainException(DomainError.InvalidReference, EntityKind.Experiment, $"expecting Task id: parent={parent:N}");
        }
    }

    private static void Apply(Experiment experiment, ExperimentChanges changes)
    {
        experiment.Name = changes.Name ?? experiment.Name;
        experiment.Type = changes.Type ?? experiment.Type;
        experiment.Comment = changes.Comment ?? experiment.Comment;
        experiment.ProjectId = changes.ProjectId ?? experiment.ProjectId;
        experiment.ParentId = changes.ParentId ?? experiment.ParentId;
        experiment.Tags = changes.Tags is null ? experiment.Tags : [.. changes.Tags];
        experiment.SystemTags = changes.SystemTags is null ? experiment.SystemTags : [.. changes.SystemTags];
        experiment.StatusReason = changes.StatusReason ?? experiment.StatusReason;
        experiment.StatusMessage = changes.StatusMessage ?? experiment.StatusMessage;
        experiment.Script = changes.Script ?? experiment.Script;
        experiment.Runtime = changes.Runtime ?? experiment.Runtime;
        experiment.Execution = changes.Execution ?? experiment.Execution;
        experiment.Output = changes.Output ?? experiment.Output;
        experiment.Container = changes.Container ?? experiment.Container;
        experiment.Models = changes.Models ?? experiment.Models;
        experiment.SystemDetails = changes.SystemDetails ?? experiment.SystemDetails;
        experiment.Html = changes.Html ?? experiment.Html;
        experiment.Code = changes.Code ?? experiment.Code;
        experiment.Graph = changes.Graph ?? experiment.Graph;
        ReplaceParameters(experiment, ParameterKind.Hyperparameter, changes.Hyperparameters);
        ReplaceParameters(experiment, ParameterKind.Configuration, changes.Configuration);
    }

    private static void ReplaceParameters(Experiment experiment, ParameterKind kind, IReadOnlyList<ParameterValue>? values)
    {
        if (values is not null)
        {
            SyncParameters(experiment, kind, values, _ => true);
        }
    }

    /// <summary>
    /// Makes the values of <paramref name="kind"/> that <paramref name="inScope"/> selects equal to <paramref name="values"/>:
    /// rows whose key stays are updated in place (so a key is never deleted and re-inserted in one save), others removed or added.
    /// </summary>
    private static void SyncParameters(
        Experiment experiment, ParameterKind kind, IReadOnlyList<ParameterValue> values, Func<ExperimentParameter, bool> inScope)
    {
        var wanted = values.DistinctBy(v => (v.Section, v.Name)).ToDictionary(v => (v.Section, v.Name));
        foreach (var stale in experiment.Parameters.Where(p => p.Kind == kind && inScope(p) && !wanted.ContainsKey((p.Section, p.Name))).ToList())
        {
            experiment.Parameters.Remove(stale);
        }
        foreach (var value in wanted.Values)
        {
            var row = experiment.Parameters.SingleOrDefault(p => p.Kind == kind && p.Section == value.Section && p.Name == value.Name);
            if (row is null)
            {
                experiment.Parameters.Add(NewParameter(experiment.Id, kind, value));
                continue;
            }
            row.Value = value.Value;
            row.Type = value.Type;
            row.Description = value.Description;
        }
    }

    private static ExperimentParameter NewParameter(Guid experimentId, ParameterKind kind, ParameterValue value) => new()
    {
        ExperimentId = experimentId,
        Kind = kind,
        Section = value.Section,
        Name = value.Name,
        Value = value.Value,
        Type = value.Type,
        Description = value.Description,
    };

    private static string Wire(ExperimentStatus status) => Regex.Replace(status.ToString(), "(?<=[a-z])([A-Z])", "_$1").ToLowerInvariant();
}
