using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>Which annotations of an app to list: by annotation and input ids, creators, model versions, task, trust.</summary>
public sealed record AnnotationQuery(
    IReadOnlyList<string> Ids, IReadOnlyList<string> InputIds, IReadOnlyList<string> UserIds, IReadOnlyList<string> ModelVersionIds,
    string? TaskId, bool IncludeUntrusted);

public sealed record AnnotationCount(string UserId, int StatusCode, int Count);

/// <summary>Inputs, concepts and annotations of an app (a project); the wire shapes are the Clarifai surface's business.</summary>
public sealed class AnnotationRepository(MlOpsDbContext db, TimeProvider clock)
{
    public Task<List<string>> ExistingInputIdsAsync(Guid projectId, IReadOnlyCollection<string> ids, CancellationToken ct) =>
        db.Inputs.Where(i => i.ProjectId == projectId && ids.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct);

    /// <summary>Stores inputs with their input-level annotations and any concepts they introduce, in one transaction.</summary>
    public async Task AddInputsAsync(IReadOnlyList<Input> inputs, IReadOnlyList<Annotation> inputLevel, IReadOnlyList<Concept> newConcepts, CancellationToken ct)
    {
        db.Inputs.AddRange(inputs);
        db.Concepts.AddRange(newConcepts);
        db.Annotations.AddRange(inputLevel);
        await SaveAsync(ct);
    }

    public async Task<Input> GetInputAsync(Guid projectId, string id, CancellationToken ct) =>
        await db.Inputs.AsNoTracking().SingleOrDefaultAsync(i => i.ProjectId == projectId && i.Id == id, ct)
        ?? throw DomainException.NotFound(EntityKind.Input, id);

    public Task<int> CountInputsAsync(Guid projectId, CancellationToken ct) => db.Inputs.CountAsync(i => i.ProjectId == projectId, ct);

    public Task<List<string>> AnnotatorsAsync(Guid projectId, CancellationToken ct) =>
        db.Annotations.Where(a => a.ProjectId == projectId).Select(a => a.UserId).Distinct().OrderBy(u => u).ToListAsync(ct);

    public Task<List<AnnotationCount>> CountByTaskAsync(Guid projectId, string taskId, CancellationToken ct) =>
        db.Annotations.Where(a => a.ProjectId == projectId && a.TaskId == taskId)
            .GroupBy(a => new { a.UserId, a.StatusCode })
            .Select(g => new AnnotationCount(g.Key.UserId, g.Key.StatusCode, g.Count()))
            .ToListAsync(ct);

    /// <summary>Newest first, then by id, so pages are stable; only the inputs named when <paramref name="ids"/> names any.</summary>
    public Task<List<Input>> ListInputsAsync(Guid projectId, IReadOnlyCollection<string> ids, int page, int perPage, CancellationToken ct) =>
        db.Inputs.AsNoTracking().Where(i => i.ProjectId == projectId && (ids.Count == 0 || ids.Contains(i.Id)))
            .OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id)
            .Skip((page - 1) * perPage).Take(perPage).ToListAsync(ct);

    /// <summary>Deletes the inputs (and their annotations); unknown ids are not found and nothing is deleted.</summary>
    public async Task DeleteInputsAsync(Guid projectId, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var missing = ids.Except(await ExistingInputIdsAsync(projectId, ids, ct)).FirstOrDefault();
        if (missing is not null)
        {
            throw DomainException.NotFound(EntityKind.Input, missing);
        }
        await db.Annotations.Where(a => a.ProjectId == projectId && ids.Contains(a.InputId)).ExecuteDeleteAsync(ct);
        await db.Inputs.Where(i => i.ProjectId == projectId && ids.Contains(i.Id)).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public Task<Dictionary<string, Concept>> ConceptsAsync(Guid projectId, IReadOnlyCollection<string> ids, CancellationToken ct) =>
        db.Concepts.AsNoTracking().Where(c => c.ProjectId == projectId && ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);

    public async Task AddConceptsAsync(IReadOnlyList<Concept> concepts, CancellationToken ct)
    {
        db.Concepts.AddRange(concepts);
        await SaveAsync(ct);
    }

    public async Task<Concept> GetConceptAsync(Guid projectId, string id, CancellationToken ct) =>
        await db.Concepts.AsNoTracking().SingleOrDefaultAsync(c => c.ProjectId == projectId && c.Id == id, ct)
        ?? throw DomainException.NotFound(EntityKind.Concept, id);

    public Task<List<Concept>> ListConceptsAsync(Guid projectId, int page, int perPage, CancellationToken ct) =>
        db.Concepts.AsNoTracking().Where(c => c.ProjectId == projectId).OrderBy(c => c.Id)
            .Skip((page - 1) * perPage).Take(perPage).ToListAsync(ct);

    /// <summary>Renames concepts; an unknown id is not found and nothing changes.</summary>
    public async Task<List<Concept>> RenameConceptsAsync(Guid projectId, IReadOnlyDictionary<string, string> names, CancellationToken ct)
    {
        var found = await db.Concepts.Where(c => c.ProjectId == projectId && names.Keys.Contains(c.Id)).ToListAsync(ct);
        var missing = names.Keys.Except(found.Select(c => c.Id)).FirstOrDefault();
        if (missing is not null)
        {
            throw DomainException.NotFound(EntityKind.Concept, missing);
        }
        found.ForEach(c => c.Name = names[c.Id]);
        await db.SaveChangesAsync(ct);
        return found;
    }

    /// <summary>Stores annotations and the concepts they introduce, all or none.</summary>
    public async Task AddAnnotationsAsync(IReadOnlyList<Annotation> annotations, IReadOnlyList<Concept> newConcepts, CancellationToken ct)
    {
        db.Concepts.AddRange(newConcepts);
        db.Annotations.AddRange(annotations);
        await SaveAsync(ct);
    }

    public async Task<Annotation> GetAnnotationAsync(Guid projectId, string inputId, string id, CancellationToken ct) =>
        await db.Annotations.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == projectId && a.Id == id && a.InputId == inputId, ct)
        ?? throw DomainException.NotFound(EntityKind.Annotation, id);

    /// <summary>Annotations for a patch, tracked; an unknown id is not found.</summary>
    public async Task<List<Annotation>> FindForChangeAsync(Guid projectId, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var found = await db.Annotations.Where(a => a.ProjectId == projectId && ids.Contains(a.Id)).ToListAsync(ct);
        var missing = ids.Except(found.Select(a => a.Id)).FirstOrDefault();
        return missing is null ? found : throw DomainException.NotFound(EntityKind.Annotation, missing);
    }

    /// <summary>Saves patched annotations and deletes the ones the patch emptied, with the concepts the patch introduced.</summary>
    public async Task SaveChangesAsync(IReadOnlyList<Annotation> emptied, IReadOnlyList<Concept> newConcepts, CancellationToken ct)
    {
        db.Annotations.RemoveRange(emptied);
        db.Concepts.AddRange(newConcepts);
        await SaveAsync(ct);
    }

    /// <summary>Newest first, then by id. Ids and input ids given together are pairs (annotation i on input i).</summary>
    public Task<List<Annotation>> ListAnnotationsAsync(Guid projectId, AnnotationQuery filter, int page, int perPage, CancellationToken ct)
    {
        var rows = db.Annotations.AsNoTracking().Where(a => a.ProjectId == projectId);
        if (filter.Ids.Count > 0 && filter.InputIds.Count > 0)
        {
            var pairs = filter.Ids.Zip(filter.InputIds, (id, input) => id + "\n" + input).ToList();
            rows = rows.Where(a => pairs.Contains(a.Id + "\n" + a.InputId));
        }
        else if (filter.Ids.Count > 0)
        {
            rows = rows.Where(a => filter.Ids.Contains(a.Id));
        }
        else if (filter.InputIds.Count > 0)
        {
            rows = rows.Where(a => filter.InputIds.Contains(a.InputId));
        }
        if (filter.UserIds.Count > 0 || filter.ModelVersionIds.Count > 0)
        {
            rows = rows.Where(a => filter.UserIds.Contains(a.UserId) || (a.ModelVersionId != null && filter.ModelVersionIds.Contains(a.ModelVersionId)));
        }
        if (filter.TaskId is { } task)
        {
            rows = rows.Where(a => a.TaskId == task);
        }
        if (!filter.IncludeUntrusted)
        {
            rows = rows.Where(a => a.Trusted);
        }
        return rows.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id).Skip((page - 1) * perPage).Take(perPage).ToListAsync(ct);
    }

    /// <summary>
    /// Deletes annotation <c>ids[i]</c> of input <c>inputIds[i]</c>, or with no ids every annotation of the inputs
    /// but their input-level ones. A named pair that does not exist is not found and nothing is deleted.
    /// </summary>
    public async Task DeleteAnnotationsAsync(Guid projectId, IReadOnlyList<string> ids, IReadOnlyList<string> inputIds, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (ids.Count == 0)
        {
            await db.Annotations.Where(a => a.ProjectId == projectId && inputIds.Contains(a.InputId) && !a.InputLevel).ExecuteDeleteAsync(ct);
        }
        else
        {
            foreach (var (id, inputId) in ids.Zip(inputIds))
            {
                if (await db.Annotations.Where(a => a.ProjectId == projectId && a.Id == id && a.InputId == inputId).ExecuteDeleteAsync(ct) == 0)
                {
                    throw DomainException.NotFound(EntityKind.Annotation, id);
                }
            }
        }
        await transaction.CommitAsync(ct);
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException(DomainError.AlreadyExists, EntityKind.Annotation, "an id in the request is already used");
        }
    }

    /// <summary>Every annotation the query selects, for evaluation (no paging).</summary>
    public Task<List<Annotation>> AllAnnotationsAsync(Guid projectId, AnnotationQuery query, CancellationToken ct) =>
        ListAnnotationsAsync(projectId, query, 1, int.MaxValue, ct);

    public async Task AddFiltersAsync(IReadOnlyList<AnnotationFilter> filters, CancellationToken ct)
    {
        await RequireNewAsync(db.AnnotationFilters, filters.Select(f => (f.ProjectId, f.Id)), EntityKind.AnnotationFilter, ct);
        db.AnnotationFilters.AddRange(filters);
        await db.SaveChangesAsync(ct);
    }

    public async Task<AnnotationFilter> GetFilterAsync(Guid projectId, string id, CancellationToken ct) =>
        await db.AnnotationFilters.AsNoTracking().SingleOrDefaultAsync(f => f.ProjectId == projectId && f.Id == id, ct)
        ?? throw DomainException.NotFound(EntityKind.AnnotationFilter, id);

    public Task<List<AnnotationFilter>> ListFiltersAsync(Guid projectId, int page, int perPage, CancellationToken ct) =>
        db.AnnotationFilters.AsNoTracking().Where(f => f.ProjectId == projectId)
            .OrderByDescending(f => f.CreatedAt).ThenBy(f => f.Id).Skip((page - 1) * perPage).Take(perPage).ToListAsync(ct);

    /// <summary>Replaces the name and search of each filter given (null keeps it); an unknown id changes nothing.</summary>
    public async Task<List<AnnotationFilter>> UpdateFiltersAsync(Guid projectId, IReadOnlyList<(string Id, string? Name, string? Search)> changes, CancellationToken ct)
    {
        var ids = changes.Select(c => c.Id).ToList();
        var stored = await db.AnnotationFilters.Where(f => f.ProjectId == projectId && ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, ct);
        var changed = changes.Select(c =>
        {
            var filter = stored.GetValueOrDefault(c.Id) ?? throw DomainException.NotFound(EntityKind.AnnotationFilter, c.Id);
            filter.Name = c.Name ?? filter.Name;
            filter.Search = c.Search ?? filter.Search;
            filter.ModifiedAt = clock.GetUtcNow().UtcDateTime;
            return filter;
        }).ToList();
        await db.SaveChangesAsync(ct);
        return changed;
    }

    /// <summary>Deletes the filters named; if any does not exist, none is deleted.</summary>
    public async Task DeleteFiltersAsync(Guid projectId, IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.AnnotationFilters.Where(f => f.ProjectId == projectId && ids.Contains(f.Id)).ExecuteDeleteAsync(ct);
        if (deleted != ids.Distinct().Count())
        {
            throw DomainException.NotFound(EntityKind.AnnotationFilter, string.Join(",", ids));
        }
        await transaction.CommitAsync(ct);
    }

    public async Task AddEvaluationAsync(AnnotationEvaluation evaluation, CancellationToken ct)
    {
        await RequireNewAsync(db.AnnotationEvaluations, [(evaluation.ProjectId, evaluation.Id)], EntityKind.AnnotationEvaluation, ct);
        db.AnnotationEvaluations.Add(evaluation);
        await db.SaveChangesAsync(ct);
    }

    public async Task<AnnotationEvaluation> GetEvaluationAsync(Guid projectId, string id, CancellationToken ct) =>
        await db.AnnotationEvaluations.AsNoTracking().SingleOrDefaultAsync(e => e.ProjectId == projectId && e.Id == id, ct)
        ?? throw DomainException.NotFound(EntityKind.AnnotationEvaluation, id);

    public Task<List<AnnotationEvaluation>> ListEvaluationsAsync(Guid projectId, CancellationToken ct) =>
        db.AnnotationEvaluations.AsNoTracking().Where(e => e.ProjectId == projectId).OrderByDescending(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(ct);

    public async Task DeleteEvaluationAsync(Guid projectId, string id, CancellationToken ct)
    {
        if (await db.AnnotationEvaluations.Where(e => e.ProjectId == projectId && e.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            throw DomainException.NotFound(EntityKind.AnnotationEvaluation, id);
        }
    }

    private static async Task RequireNewAsync<T>(IQueryable<T> rows, IEnumerable<(Guid ProjectId, string Id)> keys, EntityKind kind, CancellationToken ct) where T : class
    {
        var wanted = keys.ToList();
        if (wanted.Select(k => k.Id).Distinct().Count() != wanted.Count)
        {
            throw new DomainException(DomainError.AlreadyExists, kind, "an id appears twice");
        }
        var projectId = wanted[0].ProjectId;
        var ids = wanted.Select(k => k.Id).ToList();
        var taken = await rows.Where(r => EF.Property<Guid>(r, "ProjectId") == projectId && ids.Contains(EF.Property<string>(r, "Id"))).Select(r => EF.Property<string>(r, "Id")).FirstOrDefaultAsync(ct);
        if (taken is not null)
        {
            throw new DomainException(DomainError.AlreadyExists, kind, $"id {taken} already exists");
        }
    }
}
