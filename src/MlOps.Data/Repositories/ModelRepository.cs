using System.Linq.Expressions;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Querying;

namespace MlOps.Data.Repositories;

/// <summary>Model fields to set: null members are left as they are (on create, empty). Design and labels are JSON object text.</summary>
public sealed record ModelChanges
{
    public string? Name { get; init; }
    public string? Uri { get; init; }
    public string? Framework { get; init; }
    public string? Comment { get; init; }
    public string? Design { get; init; }
    public string? Labels { get; init; }
    public Guid? ProjectId { get; init; }
    public Guid? ExperimentId { get; init; }
    public Guid? ParentId { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyList<string>? SystemTags { get; init; }
    public bool? Ready { get; init; }
    /// <summary>Replaces all the metadata.</summary>
    public IReadOnlyList<MetadataItem>? Metadata { get; init; }

    public bool IsEmpty => this == new ModelChanges();
}

/// <summary>The experiment published along with its model, and how.</summary>
public sealed record PublishedExperiment(Guid Id, StatusChange Change);

public sealed record ModelQuery
{
    public IReadOnlyList<Guid>? Ids { get; init; }
    public string? NamePattern { get; init; }
    public IReadOnlyList<Guid>? ProjectIds { get; init; }
    public IReadOnlyList<Guid>? ExperimentIds { get; init; }
    public IReadOnlyList<Guid>? ParentIds { get; init; }
    public IReadOnlyList<Guid>? UserIds { get; init; }
    public IReadOnlyList<string>? Frameworks { get; init; }
    public IReadOnlyList<string>? Uris { get; init; }
    public bool? Ready { get; init; }
    public TagFilter? Tags { get; init; }
    public TagFilter? SystemTags { get; init; }
    /// <summary>Substring searched in name and comment.</summary>
    public string? SearchText { get; init; }
    public IReadOnlyList<SortKey>? OrderBy { get; init; }
    public Page? Page { get; init; }
}

/// <summary>The rules and queries for experiment models (ClearML models, Comet experiment models).</summary>
public sealed class ModelRepository(MlOpsDbContext db, ExperimentRepository experiments, TimeProvider clock)
{
    private const int MinNameLength = 3;

    private static readonly Dictionary<string, Expression<Func<Model, object?>>> Sortable = new()
    {
        ["id"] = m => m.Id,
        ["name"] = m => m.Name,
        ["created"] = m => m.CreatedAt,
        ["last_update"] = m => m.LastUpdate,
        ["framework"] = m => m.Framework,
        ["uri"] = m => m.Uri,
        ["ready"] = m => m.Ready,
        ["comment"] = m => m.Comment,
        ["project"] = m => m.ProjectId,
        ["task"] = m => m.ExperimentId,
        ["parent"] = m => m.ParentId,
        ["user"] = m => m.UserId,
        ["last_iteration"] = m => m.LastIteration,
    };

    public async Task<Model> CreateAsync(ModelChanges fields, Guid? userId, CancellationToken ct)
    {
        var model = new Model { Name = ValidName(fields.Name), UserId = userId };
        await ApplyAsync(model, fields, ct);
        db.Models.Add(model);
        await db.SaveChangesAsync(ct);
        return model;
    }

    public async Task<Model> GetAsync(Guid id, CancellationToken ct) =>
        await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw NotFound(id);

    /// <summary>The distinct frameworks of the models in the given projects, or all.</summary>
    public Task<List<string>> FrameworksAsync(IReadOnlyList<Guid>? projectIds, CancellationToken ct)
    {
        var rows = db.Models.AsNoTracking().Where(m => m.Framework != null && m.Framework != "");
        if (projectIds is { Count: > 0 })
        {
            rows = rows.Where(m => m.ProjectId != null && projectIds.Contains(m.ProjectId.Value));
        }
        return rows.Select(m => m.Framework!).Distinct().OrderBy(f => f).ToListAsync(ct);
    }

    public async Task<List<Model>> QueryAsync(ModelQuery query, CancellationToken ct)
    {
        var page = query.Page ?? Page.First;
        return await Filter(query).OrderByKeys(query.OrderBy, Sortable, m => m.Id).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
    }

    /// <summary>How many models the query selects (its page and order aside).</summary>
    public Task<int> CountAsync(ModelQuery query, CancellationToken ct) => Filter(query).CountAsync(ct);

    private IQueryable<Model> Filter(ModelQuery query)
    {
        var rows = db.Models.AsNoTracking();
        if (query.Ids is { Count: > 0 } ids)
        {
            rows = rows.Where(m => ids.Contains(m.Id));
        }
        if (!string.IsNullOrEmpty(query.NamePattern))
        {
            var pattern = ProjectRepository.ValidPattern(query.NamePattern);
            rows = rows.Where(m => Regex.IsMatch(m.Name, pattern));
        }
        if (query.ProjectIds is { Count: > 0 } projects)
        {
            rows = rows.Where(m => m.ProjectId != null && projects.Contains(m.ProjectId.Value));
        }
        if (query.ExperimentIds is { Count: > 0 } tasks)
        {
            rows = rows.Where(m => m.ExperimentId != null && tasks.Contains(m.ExperimentId.Value));
        }
        if (query.ParentIds is { Count: > 0 } parents)
        {
            rows = rows.Where(m => m.ParentId != null && parents.Contains(m.ParentId.Value));
        }
        if (query.UserIds is { Count: > 0 } users)
        {
            rows = rows.Where(m => m.UserId != null && users.Contains(m.UserId.Value));
        }
        if (query.Frameworks is { Count: > 0 } frameworks)
        {
            rows = rows.Where(m => m.Framework != null && frameworks.Contains(m.Framework));
        }
        if (query.Uris is { Count: > 0 } uris)
        {
            rows = rows.Where(m => m.Uri != null && uris.Contains(m.Uri));
        }
        if (query.Ready is { } ready)
        {
            rows = rows.Where(m => m.Ready == ready);
        }
        if (query.Tags is { IsEmpty: false } tags)
        {
            rows = rows.Where(tags.ToPredicate<Model>(m => m.Tags));
        }
        if (query.SystemTags is { IsEmpty: false } systemTags)
        {
            rows = rows.Where(systemTags.ToPredicate<Model>(m => m.SystemTags));
        }
        if (!string.IsNullOrEmpty(query.SearchText))
        {
            var text = query.SearchText;
            rows = rows.Where(m => m.Name.Contains(text) || (m.Comment != null && m.Comment.Contains(text)));
        }
        return rows;
    }

    /// <summary>
    /// Applies the changes; an <paramref name="iteration"/> reported with them advances the last iteration
    /// of the model's experiment.
    /// </summary>
    public async Task UpdateAsync(Guid id, ModelChanges changes, long? iteration, CancellationToken ct)
    {
        var model = await db.Models.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw NotFound(id);
        if (!changes.IsEmpty)
        {
            await ApplyAsync(model, changes, ct);
            model.LastUpdate = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        if (iteration is { } reached && model.ExperimentId is { } experiment)
        {
            await experiments.RaiseLastIterationAsync(experiment, reached, ct);
        }
    }

    /// <summary>
    /// The experiment, if it may still be given an output model: ClearML allows that only while it is
    /// <c>created</c> or <c>in_progress</c>.
    /// </summary>
    public async Task<Experiment> GetExperimentTakingModelsAsync(Guid experimentId, CancellationToken ct)
    {
        var experiment = await experiments.GetAsync(experimentId, ct);
        return experiment.Status is ExperimentStatus.Created or ExperimentStatus.InProgress
            ? experiment
            : throw new DomainException(DomainError.InvalidState, EntityKind.Experiment,
                $"model can only be updated for tasks in the [created, in_progress] states: task={experimentId:N}");
    }

    /// <summary>
    /// Marks the model ready, once. When <paramref name="publishExperiment"/>, its creating experiment is
    /// published first (unless it already is), following the experiment state machine unless forced.
    /// </summary>
    public async Task<PublishedExperiment?> SetReadyAsync(
        Guid id, bool publishExperiment, bool forcePublish, Guid? userId, CancellationToken ct)
    {
        var model = await GetAsync(id, ct);
        if (model.Ready)
        {
            throw IsReady(id);
        }
        PublishedExperiment? published = null;
        if (publishExperiment && model.ExperimentId is { } experiment
            && (await experiments.StatusesAsync([experiment], ct)).GetValueOrDefault(experiment) != ExperimentStatus.Published)
        {
            published = new(experiment,
                await experiments.ChangeStatusAsync(experiment, ExperimentStatus.Published, forcePublish, null, null, userId, ct));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var updated = await db.Models.Where(m => m.Id == id && !m.Ready)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Ready, true).SetProperty(m => m.LastUpdate, now), ct);
        return updated == 1 ? published : throw IsReady(id);
    }

    /// <summary>Marks the model ready unless it already is or does not exist, leaving its experiment alone.</summary>
    public async Task MarkReadyAsync(Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Models.Where(m => m.Id == id && !m.Ready)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Ready, true).SetProperty(m => m.LastUpdate, now), ct);
    }

    /// <summary>Adds or removes the <see cref="ExperimentRepository.ArchivedTag"/> system tag.</summary>
    public async Task SetArchivedAsync(Guid id, bool archived, CancellationToken ct)
    {
        var model = await db.Models.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw NotFound(id);
        model.SystemTags = archived
            ? [.. model.SystemTags.Append(ExperimentRepository.ArchivedTag).Distinct()]
            : [.. model.SystemTags.Where(t => t != ExperimentRepository.ArchivedTag)];
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Deletes the model and returns what it was. Without <paramref name="force"/>, not one whose creating
    /// experiment is published: a published experiment keeps its outputs.
    /// </summary>
    public async Task<Model> DeleteAsync(Guid id, bool force, CancellationToken ct)
    {
        var model = await GetAsync(id, ct);
        if (!force && model.ExperimentId is { } experiment
            && await db.Experiments.AnyAsync(e => e.Id == experiment && e.Status == ExperimentStatus.Published, ct))
        {
            throw DomainException.Broken(DomainError.NotDeletable, EntityKind.Model,
                new RuleViolation(experiment.ToString("N"), "published", "not published", CanForce: true),
                $"the experiment that made this model is published: experiment={experiment:N}");
        }
        await db.Models.Where(m => m.Id == id).ExecuteDeleteAsync(ct);
        return model;
    }

    /// <summary>Sets the given entries, keeping the others unless <paramref name="replace"/>.</summary>
    public async Task AddOrUpdateMetadataAsync(Guid id, IReadOnlyList<MetadataItem> items, bool replace, CancellationToken ct)
    {
        var model = await db.Models.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw NotFound(id);
        model.Metadata = MetadataDocument.Merge(model.Metadata, items, replace, EntityKind.Model);
        model.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteMetadataAsync(Guid id, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var model = await db.Models.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw NotFound(id);
        model.Metadata = MetadataDocument.Remove(model.Metadata, keys, EntityKind.Model);
        model.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    private async Task ApplyAsync(Model model, ModelChanges changes, CancellationToken ct)
    {
        await RequireReferencesAsync(changes, ct);
        model.Name = changes.Name is null ? model.Name : ValidName(changes.Name);
        model.Uri = changes.Uri?.Trim() ?? model.Uri;
        model.Framework = changes.Framework ?? model.Framework;
        model.Comment = changes.Comment ?? model.Comment;
        model.Design = changes.Design ?? model.Design;
        model.Labels = changes.Labels ?? model.Labels;
        model.ProjectId = changes.ProjectId ?? model.ProjectId;
        model.ExperimentId = changes.ExperimentId ?? model.ExperimentId;
        model.ParentId = changes.ParentId ?? model.ParentId;
        model.Tags = changes.Tags is null ? model.Tags : [.. changes.Tags];
        model.SystemTags = changes.SystemTags is null ? model.SystemTags : [.. changes.SystemTags];
        model.Ready = changes.Ready ?? model.Ready;
        if (changes.Metadata is { } metadata)
        {
            model.Metadata = MetadataDocument.Write(metadata);
        }
    }

    private async Task RequireReferencesAsync(ModelChanges changes, CancellationToken ct)
    {
        if (changes.ProjectId is { } project && !await db.Projects.AnyAsync(p => p.Id == project, ct))
        {
            throw new DomainException(DomainError.InvalidReference, EntityKind.Project, $"expecting Project id: project={project:N}");
        }
        if (changes.ExperimentId is { } experiment && !await db.Experiments.AnyAsync(e => e.Id == experiment, ct))
        {
            throw new DomainException(DomainError.InvalidReference, EntityKind.Experiment, $"expecting Task id: task={experiment:N}");
        }
        if (changes.ParentId is { } parent && !await db.Models.AnyAsync(m => m.Id == parent, ct))
        {
            throw new DomainException(DomainError.InvalidReference, EntityKind.Model, $"expecting Model id: parent={parent:N}");
        }
    }

    /// <summary>Names are trimmed and need <see cref="MinNameLength"/> characters, as in ClearML.</summary>
    private static string ValidName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        return trimmed.Length >= MinNameLength
            ? trimmed
            : throw new DomainException(DomainError.DataValidation, EntityKind.Model,
                $"name={trimmed} (model names need at least {MinNameLength} characters)");
    }


    private static DomainException NotFound(Guid id) => DomainException.NotFound(EntityKind.Model, id.ToString("N"));

    private static DomainException IsReady(Guid id) =>
        new(DomainError.InvalidState, EntityKind.Model, $"model is ready: model={id:N}");
}
