using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Querying;

namespace MlOps.Data.Repositories;

public sealed record ProjectDraft(
    string Name,
    string? Description = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? SystemTags = null,
    string? DefaultOutputDestination = null,
    IReadOnlyDictionary<string, string>? Properties = null);

/// <summary>Null members are left as they are.</summary>
public sealed record ProjectChanges(
    string? Name = null,
    string? Description = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? SystemTags = null,
    string? DefaultOutputDestination = null,
    string? Notes = null,
    IReadOnlyDictionary<string, string>? Properties = null);

public sealed record ProjectQuery(
    IReadOnlyList<Guid>? Ids = null,
    string? NamePattern = null,
    IReadOnlyList<Guid>? ParentIds = null,
    TagFilter? Tags = null,
    TagFilter? SystemTags = null,
    IReadOnlyList<SortKey>? OrderBy = null,
    Page? Page = null,
    bool TopLevelOnly = false)
{
    /// <summary>Notes, share codes and properties are left unread (a list page that does not show them).</summary>
    public bool WithoutDetails { get; init; }
}

/// <summary>What a project deletion removed or detached; <c>Executions</c> are the deleted experiments' execution documents.</summary>
public sealed record ProjectDeletion(
    int DeletedProjects, int DetachedExperiments, int DetachedModels, int DeletedExperiments, int DeletedModels,
    IReadOnlyList<string> ModelUris, IReadOnlyList<string> Executions);

/// <summary>
/// Projects form a tree by name: "a/b" is the child "b" of "a", and creating it creates "a".
/// Every query runs under the context's workspace filter.
/// </summary>
public sealed class ProjectRepository(MlOpsDbContext db, TimeProvider clock)
{
    public const char PathSeparator = '/';

    private static readonly Dictionary<string, System.Linq.Expressions.Expression<Func<Project, object?>>> Sortable = new()
    {
        ["id"] = p => p.Id,
        ["name"] = p => p.Name,
        ["created"] = p => p.CreatedAt,
        ["last_update"] = p => p.LastUpdate,
        ["description"] = p => p.Description,
    };

    /// <summary>
    /// Creates the project and any missing parents. Concurrent creators of the same path (parallel
    /// pipeline steps, say) are settled by the unique index: the loser retries once, finding the
    /// parents made, or reports the name as taken.
    /// </summary>
    public async Task<Project> CreateAsync(ProjectDraft draft, Guid? userId, CancellationToken ct)
    {
        var name = NormalizeName(draft.Name);
        for (var attempt = 1; ; attempt++)
        {
            if (await db.Projects.AnyAsync(p => p.Name == name, ct))
            {
                throw new DomainException(DomainError.AlreadyExists, EntityKind.Project, $"project name already exists: name={name}");
            }
            var project = new Project
            {
                Name = name,
                ParentId = await EnsureParentsAsync(name, userId, ct),
                UserId = userId,
                Description = draft.Description,
                Tags = [.. draft.Tags ?? []],
                SystemTags = [.. draft.SystemTags ?? []],
                DefaultOutputDestination = draft.DefaultOutputDestination,
                Properties = new(draft.Properties ?? new Dictionary<string, string>()),
            };
            db.Projects.Add(project);
            try
            {
                await db.SaveChangesAsync(ct);
                return project;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public IQueryable<Project> Projects => db.Projects.AsNoTracking();

    /// <summary>
    /// The project of the draft's name, created as drafted when there is none. Every place that creates a project
    /// implicitly (a run logged into a new project name, a move or link to one) goes through here: concurrent
    /// callers naming the same new project all get the one that won the unique index.
    /// </summary>
    public async Task<Project> GetOrCreateAsync(ProjectDraft draft, Guid? userId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await FindByNameAsync(draft.Name, ct) is { } existing)
            {
                return existing;
            }
            try
            {
                return await CreateAsync(draft, userId, ct);
            }
            catch (Exception e) when (attempt < 3 && e is DbUpdateException or DomainException { Error: DomainError.AlreadyExists })
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public Task<Project?> FindAsync(Guid id, CancellationToken ct) =>
        db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);

    public Task<Project?> FindByNameAsync(string name, CancellationToken ct)
    {
        var normalized = NormalizeName(name);
        return db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Name == normalized, ct);
    }

    public async Task<Project> GetAsync(Guid id, CancellationToken ct) =>
        await FindAsync(id, ct) ?? throw DomainException.NotFound(EntityKind.Project, id.ToString("N"));

    public async Task<List<Project>> QueryAsync(ProjectQuery query, CancellationToken ct)
    {
        var page = query.Page ?? Page.First;
        var rows = Filter(query).OrderByKeys(query.OrderBy, Sortable, p => p.Id).Skip(page.Skip).Take(page.Take);
        return await (query.WithoutDetails ? Columns.Without(rows, db.Model, Details) : rows).ToListAsync(ct);
    }

    /// <summary>How many projects the query selects (its page and order aside).</summary>
    public Task<int> CountAsync(ProjectQuery query, CancellationToken ct) => Filter(query).CountAsync(ct);

    private static readonly string[] Details = [nameof(Project.Notes), nameof(Project.ShareCodes), nameof(Project.Properties)];

    private IQueryable<Project> Filter(ProjectQuery query)
    {
        var rows = db.Projects.AsNoTracking();
        if (query.Ids is { Count: > 0 } ids)
        {
            rows = rows.Where(p => ids.Contains(p.Id));
        }
        if (!string.IsNullOrEmpty(query.NamePattern))
        {
            var pattern = ValidPattern(query.NamePattern);
            rows = rows.Where(p => Regex.IsMatch(p.Name, pattern));
        }
        if (query.ParentIds is { Count: > 0 } parents)
        {
            rows = rows.Where(p => p.ParentId != null && parents.Contains(p.ParentId.Value));
        }
        else if (query.TopLevelOnly)
        {
            rows = rows.Where(p => p.ParentId == null);
        }
        if (query.Tags is { IsEmpty: false } tags)
        {
            rows = rows.Where(tags.ToPredicate<Project>(p => p.Tags));
        }
        if (query.SystemTags is { IsEmpty: false } systemTags)
        {
            rows = rows.Where(systemTags.ToPredicate<Project>(p => p.SystemTags));
        }
        return rows;
    }

    /// <summary>Renaming a project renames the paths of all its descendants.</summary>
    private async Task<Project> TrackedAsync(Guid id, CancellationToken ct) =>
        await db.Projects.SingleOrDefaultAsync(p => p.Id == id, ct) ?? throw DomainException.NotFound(EntityKind.Project, id.ToString("N"));

    /// <summary>A new share code for the project (Comet share links).</summary>
    public async Task<string> AddShareCodeAsync(Guid id, CancellationToken ct)
    {
        var project = await TrackedAsync(id, ct);
        var code = Guid.NewGuid().ToString("N");
        project.ShareCodes = [.. project.ShareCodes, code];
        await db.SaveChangesAsync(ct);
        return code;
    }

    /// <summary>Withdraws a share code; an unknown code is not found.</summary>
    public async Task RemoveShareCodeAsync(Guid id, string code, CancellationToken ct)
    {
        var project = await TrackedAsync(id, ct);
        if (!project.ShareCodes.Contains(code))
        {
            throw new DomainException(DomainError.NotFound, EntityKind.ShareLink, $"share code {code}");
        }
        project.ShareCodes = [.. project.ShareCodes.Where(c => c != code)];
        await db.SaveChangesAsync(ct);
    }

    public async Task<Project> UpdateAsync(Guid id, ProjectChanges changes, CancellationToken ct)
    {
        var project = await TrackedAsync(id, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (changes.Name is not null)
        {
            var name = NormalizeName(changes.Name);
            if (name != project.Name)
            {
                if (await db.Projects.AnyAsync(p => p.Name == name, ct))
                {
                    throw new DomainException(DomainError.AlreadyExists, EntityKind.Project, $"project name already exists: name={name}");
                }
                var oldPrefix = project.Name + PathSeparator;
                var descendants = await db.Projects.Where(p => p.Name.StartsWith(oldPrefix)).ToListAsync(ct);
                foreach (var child in descendants)
                {
                    child.Name = name + PathSeparator + child.Name[oldPrefix.Length..];
                }
                project.ParentId = await EnsureParentsAsync(name, project.UserId, ct);
                project.Name = name;
            }
        }
        project.Description = changes.Description ?? project.Description;
        project.Tags = changes.Tags is null ? project.Tags : [.. changes.Tags];
        project.SystemTags = changes.SystemTags is null ? project.SystemTags : [.. changes.SystemTags];
        project.DefaultOutputDestination = changes.DefaultOutputDestination ?? project.DefaultOutputDestination;
        project.Notes = changes.Notes ?? project.Notes;
        project.Properties = changes.Properties is null ? project.Properties : new(changes.Properties);
        project.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return project;
    }

    /// <summary>
    /// Moves everything the project holds (experiments, models, sub-projects) into <paramref name="destinationId"/>
    /// and deletes the emptied project; returns how many entities and projects moved.
    /// </summary>
    public async Task<(int Entities, int Projects)> MergeAsync(Guid id, Guid destinationId, CancellationToken ct)
    {
        var source = await GetAsync(id, ct);
        var destination = await GetAsync(destinationId, ct);
        if (id == destinationId || destination.Name.StartsWith(source.Name + PathSeparator))
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.Project, "a project cannot be merged into itself or its own child");
        }
        var children = await db.Projects.AsNoTracking().Where(p => p.ParentId == id).ToListAsync(ct);
        foreach (var child in children)
        {
            await UpdateAsync(child.Id, new ProjectChanges(Name: destination.Name + PathSeparator + child.Name[(child.Name.LastIndexOf(PathSeparator) + 1)..]), ct);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var entities = await db.Experiments.Where(e => e.ProjectId == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.ProjectId, destinationId), ct)
            + await db.Models.Where(m => m.ProjectId == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.ProjectId, destinationId), ct);
        await db.Projects.Where(p => p.Id == id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return (entities, children.Count);
    }

    /// <summary>
    /// Deletes a project and its sub-projects. Without <paramref name="force"/> a project that still holds unarchived
    /// experiments or models is refused; the rest are deleted (<paramref name="deleteContents"/>) or detached.
    /// </summary>
    public async Task<ProjectDeletion> DeleteAsync(Guid id, bool force, bool deleteContents, CancellationToken ct)
    {
        var project = await GetAsync(id, ct);
        var prefix = project.Name + PathSeparator;
        var projectIds = await db.Projects.Where(p => p.Id == id || p.Name.StartsWith(prefix)).Select(p => p.Id).ToListAsync(ct);
        var experiments = db.Experiments.Where(e => e.ProjectId != null && projectIds.Contains(e.ProjectId.Value));
        var models = db.Models.Where(m => m.ProjectId != null && projectIds.Contains(m.ProjectId.Value));
        if (!force && await experiments.AnyAsync(e => !e.SystemTags.Contains(ExperimentRepository.ArchivedTag), ct))
        {
            throw DomainException.Broken(DomainError.HasExperiments, EntityKind.Project,
                new RuleViolation(id.ToString("N"), "holds experiments", "empty", CanForce: true), $"the project holds experiments: id={id:N}");
        }
        if (!force && await models.AnyAsync(m => !m.SystemTags.Contains(ExperimentRepository.ArchivedTag), ct))
        {
            throw DomainException.Broken(DomainError.HasModels, EntityKind.Project,
                new RuleViolation(id.ToString("N"), "holds models", "empty", CanForce: true), $"the project holds models: id={id:N}");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        int detachedExperiments = 0, detachedModels = 0, deletedExperiments = 0, deletedModels = 0;
        List<string> modelUris = [], executions = [];
        if (deleteContents)
        {
            modelUris = await models.Where(m => m.Uri != null && m.Uri != "").Select(m => m.Uri!).ToListAsync(ct);
            executions = await experiments.Where(e => e.Execution != null).Select(e => e.Execution!).ToListAsync(ct);
            deletedModels = await models.ExecuteDeleteAsync(ct);
            deletedExperiments = await experiments.ExecuteDeleteAsync(ct);
        }
        else
        {
            detachedModels = await models.ExecuteUpdateAsync(s => s.SetProperty(m => m.ProjectId, (Guid?)null), ct);
            detachedExperiments = await experiments.ExecuteUpdateAsync(s => s.SetProperty(e => e.ProjectId, (Guid?)null), ct);
        }
        var deleted = await db.Projects.Where(p => projectIds.Contains(p.Id)).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return new ProjectDeletion(deleted, detachedExperiments, detachedModels, deletedExperiments, deletedModels, modelUris, executions);
    }

    private async Task<Guid?> EnsureParentsAsync(string name, Guid? userId, CancellationToken ct)
    {
        var separator = name.LastIndexOf(PathSeparator);
        if (separator < 0)
        {
            return null;
        }
        var parentName = name[..separator];
        var parent = await db.Projects.SingleOrDefaultAsync(p => p.Name == parentName, ct)
            ?? db.Projects.Local.SingleOrDefault(p => p.Name == parentName);
        if (parent is not null)
        {
            return parent.Id;
        }
        parent = new Project { Name = parentName, UserId = userId, ParentId = await EnsureParentsAsync(parentName, userId, ct) };
        db.Projects.Add(parent);
        return parent.Id;
    }

    /// <summary>Trims each path segment; empty segments ("a//b") are refused.</summary>
    public static string NormalizeName(string name)
    {
        var segments = name.Split(PathSeparator).Select(s => s.Trim()).ToArray();
        return segments.Any(s => s.Length == 0)
            ? throw new DomainException(DomainError.InvalidName, EntityKind.Project, $"invalid project name: name={name}")
            : string.Join(PathSeparator, segments);
    }

    internal static string ValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern);
            return pattern;
        }
        catch (ArgumentException)
        {
            throw new DomainException(DomainError.InvalidPattern, EntityKind.Project, $"malformed regular expression: {pattern}");
        }
    }
}
