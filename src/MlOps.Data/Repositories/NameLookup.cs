using Microsoft.EntityFrameworkCore;

namespace MlOps.Data.Repositories;

/// <summary>
/// The references one answer shows by name: experiments (with their project, whose name is fetched too), projects,
/// users and queues.
/// </summary>
public sealed record NameRequest(
    IReadOnlyCollection<Guid> Experiments, IReadOnlyCollection<Guid> Projects, IReadOnlyCollection<Guid> Users, IReadOnlyCollection<Guid> Queues);

/// <summary>The names found for a <see cref="NameRequest"/>; ids not found (or in another workspace) are absent.</summary>
public sealed record Names(
    Dictionary<Guid, (string Name, Guid? ProjectId)> Experiments, Dictionary<Guid, string> Projects, Dictionary<Guid, string> Users, Dictionary<Guid, string> Queues);

/// <summary>Names of referenced objects, fetched in bulk, for answers that show a reference as <c>{id, name}</c>.</summary>
public sealed class NameLookup(MlOpsDbContext db)
{
    public Task<Dictionary<Guid, string>> UsersAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, ct);

    /// <summary>Every name the request asks for, in one round trip (none when it asks for nothing).</summary>
    public async Task<Names> ResolveAsync(NameRequest request, CancellationToken ct)
    {
        var parts = Parts(request).ToList();
        var rows = parts.Count == 0 ? [] : await parts.Aggregate((all, part) => all.Concat(part)).ToListAsync(ct);
        var byKind = rows.ToLookup(r => r.Kind);
        return new Names(
            byKind[NameKind.Experiment].ToDictionary(r => r.Id, r => (r.Name, r.ProjectId)),
            byKind[NameKind.Project].ToDictionary(r => r.Id, r => r.Name),
            byKind[NameKind.User].ToDictionary(r => r.Id, r => r.Name),
            byKind[NameKind.Queue].ToDictionary(r => r.Id, r => r.Name));
    }

    private IEnumerable<IQueryable<NameRow>> Parts(NameRequest request)
    {
        var (experiments, projects, users, queues) = (request.Experiments, request.Projects, request.Users, request.Queues);
        if (experiments.Count > 0)
        {
            yield return db.Experiments.AsNoTracking().Where(e => experiments.Contains(e.Id))
                .Select(e => new NameRow { Kind = NameKind.Experiment, Id = e.Id, Name = e.Name, ProjectId = e.ProjectId });
        }
        if (projects.Count > 0 || experiments.Count > 0)
        {
            var named = experiments.Count == 0
                ? db.Projects.AsNoTracking().Where(p => projects.Contains(p.Id))
                : db.Projects.AsNoTracking().Where(p => projects.Contains(p.Id) || db.Experiments.Any(e => experiments.Contains(e.Id) && e.ProjectId == p.Id));
            yield return named.Select(p => new NameRow { Kind = NameKind.Project, Id = p.Id, Name = p.Name, ProjectId = null });
        }
        if (users.Count > 0)
        {
            yield return db.Users.AsNoTracking().Where(u => users.Contains(u.Id))
                .Select(u => new NameRow { Kind = NameKind.User, Id = u.Id, Name = u.Name, ProjectId = null });
        }
        if (queues.Count > 0)
        {
            yield return db.Queues.AsNoTracking().Where(q => queues.Contains(q.Id))
                .Select(q => new NameRow { Kind = NameKind.Queue, Id = q.Id, Name = q.Name, ProjectId = null });
        }
    }

    private enum NameKind
    {
        Experiment,
        Project,
        User,
        Queue,
    }

    private sealed class NameRow
    {
        public NameKind Kind { get; init; }
        public Guid Id { get; init; }
        public required string Name { get; init; }
        public Guid? ProjectId { get; init; }
    }
}
