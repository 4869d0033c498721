using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>What a report is made of; null members are left as they are on update.</summary>
public sealed record ReportContent(
    string? Name = null, string? Comment = null, IReadOnlyList<string>? Tags = null, string? Text = null, IReadOnlyList<string>? Assets = null)
{
    /// <summary>Name, comment and tags describe a report; its text and assets are its content, frozen once published.</summary>
    public bool ChangesContent => Text is not null || Assets is not null;

    public bool IsEmpty => this == new ReportContent();
}

/// <summary>
/// Reports (ClearML reports): experiments of type <c>report</c>, hidden like their project, which is the <c>.reports</c>
/// sub-project of the project they belong to (created with the first report, deleted with the last).
/// </summary>
public sealed class ReportRepository(MlOpsDbContext db, ExperimentRepository experiments, ProjectRepository projects)
{
    public const string ReportType = "report";
    public const string ReportsTag = "reports";
    public const string HiddenTag = "hidden";
    public const string ReportsProjectName = ".reports";

    private static readonly string[] SystemTags = [ReportsTag, HiddenTag];

    /// <summary>A new draft report in the <c>.reports</c> sub-project of <paramref name="projectId"/> (or of the root).</summary>
    public async Task<Experiment> CreateAsync(ReportContent content, Guid? projectId, Guid? userId, CancellationToken ct)
    {
        var name = content.Name is { Length: > 0 } given
            ? given
            : throw new DomainException(DomainError.InvalidInput, EntityKind.Experiment, "name must not be empty");
        var home = await ReportsProjectAsync(projectId is { } id ? (await projects.GetAsync(id, ct)).Name : "", userId, ct);
        var draft = new ExperimentDraft(name, ReportType, home.Id, Comment: content.Comment, Tags: content.Tags, SystemTags: SystemTags);
        return await experiments.CreateAsync(draft, new ExperimentChanges { Report = content.Text, ReportAssets = content.Assets }, userId, ct);
    }

    /// <summary>The report; anything else is refused, as ClearML refuses report calls on other tasks.</summary>
    public async Task<Experiment> GetAsync(Guid id, CancellationToken ct)
    {
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        return experiment.Type == ReportType
            ? experiment
            : throw new DomainException(DomainError.WrongKind, EntityKind.Experiment, $"passed task is not report: id={id:N}");
    }

    /// <summary>Name, comment and tags change in any status; the text and assets only while the report is a draft.</summary>
    public async Task<bool> UpdateAsync(Guid id, ReportContent content, Guid? userId, CancellationToken ct)
    {
        var report = await GetAsync(id, ct);
        if (content.IsEmpty)
        {
            return false;
        }
        if (content.ChangesContent && report.Status != ExperimentStatus.Created)
        {
            throw DomainException.Broken(DomainError.InvalidState, EntityKind.Experiment,
                new RuleViolation(id.ToString("N"), ExperimentRepository.Wire(report.Status), "created", CanForce: false), "only a draft report's content can change");
        }
        await experiments.UpdateAsync(id, new ExperimentChanges
        {
            Name = content.Name,
            Comment = content.Comment,
            Tags = content.Tags,
            Report = content.Text,
            ReportAssets = content.Assets,
        }, userId, ct);
        return true;
    }

    /// <summary>Into the <c>.reports</c> sub-project of the target (by id, by name, created if missing, or the root); returns it.</summary>
    public async Task<Project> MoveAsync(Guid id, Guid? targetId, string? targetName, Guid? userId, CancellationToken ct)
    {
        var report = await GetAsync(id, ct);
        var parentName = targetName is { Length: > 0 } name ? name : targetId is { } target ? (await projects.GetAsync(target, ct)).Name : "";
        var home = await ReportsProjectAsync(parentName, userId, ct);
        if (home.Id != report.ProjectId)
        {
            await experiments.UpdateAsync(id, new ExperimentChanges { ProjectId = home.Id }, userId, ct);
            await DeleteProjectIfEmptyAsync(report.ProjectId, ct);
        }
        return home;
    }

    public async Task<StatusChange> PublishAsync(Guid id, string? message, Guid? userId, CancellationToken ct)
    {
        await GetAsync(id, ct);
        return await experiments.ChangeStatusAsync(id, ExperimentStatus.Published, true, "", message, userId, ct);
    }

    public async Task SetArchivedAsync(Guid id, bool archived, Guid? userId, CancellationToken ct)
    {
        await GetAsync(id, ct);
        await experiments.SetArchivedAsync(id, archived, userId, ct);
    }

    /// <summary>A published report that is not archived goes only when forced; its project goes with the last report.</summary>
    public async Task DeleteAsync(Guid id, bool force, CancellationToken ct)
    {
        var report = await GetAsync(id, ct);
        await experiments.DeleteAsync(id, force, ct);
        await DeleteProjectIfEmptyAsync(report.ProjectId, ct);
    }

    /// <summary>The user tags on the workspace's reports, sorted.</summary>
    public async Task<List<string>> TagsAsync(CancellationToken ct)
    {
        var tags = await db.Experiments.AsNoTracking().Where(e => e.Type == ReportType).Select(e => e.Tags).ToListAsync(ct);
        return [.. tags.SelectMany(t => t).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The <c>.reports</c> projects of the given projects (the given ones themselves if they are such).</summary>
    public Task<List<Guid>> ReportsProjectsOfAsync(IReadOnlyList<Guid> projectIds, CancellationToken ct) =>
        db.Projects.AsNoTracking()
            .Where(p => (projectIds.Contains(p.Id) || (p.ParentId != null && projectIds.Contains(p.ParentId.Value)))
                && (p.Name == ReportsProjectName || p.Name.EndsWith("/" + ReportsProjectName)))
            .Select(p => p.Id).ToListAsync(ct);

    private Task<Project> ReportsProjectAsync(string parentName, Guid? userId, CancellationToken ct)
    {
        var parent = parentName.Trim('/');
        var name = parent.Length == 0 ? ReportsProjectName
            : parent == ReportsProjectName || parent.EndsWith("/" + ReportsProjectName) ? parent
            : parent + "/" + ReportsProjectName;
        return projects.GetOrCreateAsync(new ProjectDraft(name, "Reports project", SystemTags: SystemTags), userId, ct);
    }

    private async Task DeleteProjectIfEmptyAsync(Guid? projectId, CancellationToken ct)
    {
        if (projectId is { } id
            && await db.Projects.AnyAsync(p => p.Id == id && (p.Name == ReportsProjectName || p.Name.EndsWith("/" + ReportsProjectName)), ct)
            && !await db.Experiments.AnyAsync(e => e.ProjectId == id, ct))
        {
            await db.Projects.Where(p => p.Id == id).ExecuteDeleteAsync(ct);
        }
    }
}
