using Microsoft.EntityFrameworkCore;

namespace MlOps.Data.Repositories;

/// <summary>Names of referenced objects, fetched in bulk, for answers that show a reference as <c>{id, name}</c>.</summary>
public sealed class NameLookup(MlOpsDbContext db)
{
    public Task<Dictionary<Guid, string>> ProjectsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        db.Projects.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);

    public Task<Dictionary<Guid, string>> UsersAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);

    public Task<Dictionary<Guid, string>> QueuesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        db.Queues.Where(q => ids.Contains(q.Id)).ToDictionaryAsync(q => q.Id, q => q.Name, ct);

    /// <summary>Experiment id → its name and project.</summary>
    public async Task<Dictionary<Guid, (string Name, Guid? ProjectId)>> ExperimentsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        (await db.Experiments.Where(e => ids.Contains(e.Id)).Select(e => new { e.Id, e.Name, e.ProjectId }).ToListAsync(ct))
            .ToDictionary(e => e.Id, e => (e.Name, e.ProjectId));
}
