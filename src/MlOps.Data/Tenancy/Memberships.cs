using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Tenancy;

public sealed record MemberWorkspace(Guid Id, string Name, bool IsAdmin);

/// <summary>
/// Which workspaces besides their own a user may act in, and where a row named by id lives. Reads across
/// workspaces by design: it is how a request is moved into a workspace its caller belongs to.
/// </summary>
public sealed class Memberships(WorkspaceContextFactory contexts)
{
    public async Task<List<MemberWorkspace>> OfUserAsync(Guid userId, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        return await (
                from m in db.WorkspaceMembers
                join w in db.Workspaces on m.WorkspaceId equals w.Id
                where m.UserId == userId
                orderby w.Name
                select new MemberWorkspace(w.Id, w.Name, m.IsAdmin))
            .ToListAsync(ct);
    }

    public async Task AddAsync(Guid workspaceId, Guid userId, bool isAdmin, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        var existing = await db.WorkspaceMembers.SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, ct);
        if (existing is null)
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspaceId, UserId = userId, IsAdmin = isAdmin });
        }
        else
        {
            existing.IsAdmin |= isAdmin;
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<User?> FindUserAsync(Guid workspaceId, string name, CancellationToken ct)
    {
        await using var db = contexts.For(workspaceId);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Name == name, ct);
    }

    public async Task<Guid?> WorkspaceOfExperimentAsync(Guid experimentId, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        return await db.Experiments.IgnoreQueryFilters().Where(e => e.Id == experimentId).Select(e => (Guid?)e.WorkspaceId).SingleOrDefaultAsync(ct);
    }

    public async Task<Guid?> WorkspaceOfProjectAsync(Guid projectId, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        return await db.Projects.IgnoreQueryFilters().Where(p => p.Id == projectId).Select(p => (Guid?)p.WorkspaceId).SingleOrDefaultAsync(ct);
    }
}
