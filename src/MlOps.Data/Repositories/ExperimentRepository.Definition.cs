using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

public sealed record ParameterValue(string Section, string Name, string? Value, string? Type, string? Description);

public sealed record ExperimentDraft(
    string Name,
    string Type,
    Guid? ProjectId,
    Guid? ParentId = null,
    string? Comment = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? SystemTags = null,
    Guid? Id = null);

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
    public string? Report { get; init; }
    public IReadOnlyList<string>? ReportAssets { get; init; }
    public IReadOnlyList<ParameterValue>? Hyperparameters { get; init; }
    public IReadOnlyList<ParameterValue>? Configuration { get; init; }

    public bool IsEmpty => this == new ExperimentChanges();
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

// The definition: creating, editing and archiving experiments, their parameters and links.
public sealed partial class ExperimentRepository
{
    public async Task<Experiment> CreateAsync(ExperimentDraft draft, ExperimentChanges details, Guid? userId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(draft.Name))
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.Experiment, "name must not be empty");
        }
        await RequireReferencesAsync(draft.ProjectId, draft.ParentId, ct);
        var experiment = new Experiment
        {
            Id = draft.Id ?? Guid.NewGuid(),
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

    private void Touch(Experiment experiment, Guid? userId)
    {
        experiment.LastChangedAt = experiment.LastUpdate = clock.GetUtcNow().UtcDateTime;
        experiment.LastChangedBy = userId;
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
        experiment.Report = changes.Report ?? experiment.Report;
        experiment.ReportAssets = changes.ReportAssets is null ? experiment.ReportAssets : [.. changes.ReportAssets];
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
}
