using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Security;

namespace MlOps.Data.Tenancy;

/// <summary>Who a caller is: the same identity whichever surface's credential proved it.</summary>
public sealed record Identity(Guid UserId, string UserName, Guid WorkspaceId, string WorkspaceName, UserRole Role);

/// <summary>
/// Resolves credentials to identities. This is the one place that reads tenant rows without a
/// workspace scope, because the workspace is what it is finding out.
/// </summary>
public sealed class CredentialStore(WorkspaceContextFactory contexts)
{
    public async Task<Identity?> FindByKeyPairAsync(string accessKey, string secretKey, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        var match = await IdentityQuery(db, c => c.Kind == CredentialKind.KeyPair && c.Identifier == accessKey)
            .SingleOrDefaultAsync(ct);
        return match is not null && SecretHasher.VerifyPassword(secretKey, match.SecretHash!) ? match.Identity : null;
    }

    public async Task<Identity?> FindByApiKeyAsync(string apiKey, CancellationToken ct)
    {
        var digest = SecretHasher.DigestApiKey(apiKey);
        await using var db = contexts.For(null);
        var match = await IdentityQuery(db, c => c.Kind == CredentialKind.ApiKey && c.Identifier == digest)
            .SingleOrDefaultAsync(ct);
        return match?.Identity;
    }

    public async Task<Identity?> FindByPasswordAsync(string userName, string password, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        var candidates = await (
                from u in db.Users.IgnoreQueryFilters()
                join w in db.Workspaces on u.WorkspaceId equals w.Id
                where u.Name == userName && u.PasswordHash != null && !u.Deactivated
                select new { u.PasswordHash, Identity = new Identity(u.Id, u.Name, w.Id, w.Name, u.Role) })
            .ToListAsync(ct);
        return candidates.FirstOrDefault(c => SecretHasher.VerifyPassword(password, c.PasswordHash!))?.Identity;
    }

    private sealed record Match(string? SecretHash, Identity Identity);

    private static IQueryable<Match> IdentityQuery(MlOpsDbContext db, System.Linq.Expressions.Expression<Func<Credential, bool>> which) =>
        from c in db.Credentials.IgnoreQueryFilters().Where(which)
        join u in db.Users.IgnoreQueryFilters() on c.UserId equals u.Id
        where !u.Deactivated
        join w in db.Workspaces on c.WorkspaceId equals w.Id
        select new Match(c.SecretHash, new Identity(u.Id, u.Name, w.Id, w.Name, u.Role));
}
