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
public sealed class CredentialStore(WorkspaceContextFactory contexts, PasswordHasher passwords)
{
    /// <summary>
    /// Whether the access key names a key pair, and its identity when the secret matches; a known access key with a
    /// wrong secret is a failed key-pair sign-in, not a password to try.
    /// </summary>
    public async Task<(bool Known, Identity? Identity)> CheckKeyPairAsync(string accessKey, string secretKey, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        var match = await IdentityQuery(db, c => c.Kind == CredentialKind.KeyPair && c.Identifier == accessKey)
            .SingleOrDefaultAsync(ct);
        return (match is not null, match is not null && SecretHasher.VerifyGeneratedSecret(secretKey, match.SecretHash!) ? match.Identity : null);
    }

    public async Task<Identity?> FindByApiKeyAsync(string apiKey, CancellationToken ct)
    {
        var digest = SecretHasher.DigestApiKey(apiKey);
        await using var db = contexts.For(null);
        var match = await IdentityQuery(db, c => c.Kind == CredentialKind.ApiKey && c.Identifier == digest)
            .SingleOrDefaultAsync(ct);
        return match?.Identity;
    }

    /// <summary>
    /// A user's name and password. User names are unique per workspace only, so <c>workspace/user</c> names the
    /// workspace; a bare name is the user of the default workspace, or the only user of that name. Only one hash is
    /// ever checked, so a name held in many workspaces costs no more than one. A hash weaker than the configured one
    /// is replaced after a successful check.
    /// </summary>
    public async Task<Identity?> FindByPasswordAsync(string userName, string password, CancellationToken ct)
    {
        var slash = userName.IndexOf('/');
        var (workspaceName, name) = slash > 0 ? (userName[..slash], userName[(slash + 1)..]) : ((string?)null, userName);
        await using var db = contexts.For(null);
        var candidates = await (
                from u in db.Users.IgnoreQueryFilters()
                join w in db.Workspaces on u.WorkspaceId equals w.Id
                where u.Name == name && u.PasswordHash != null && !u.Deactivated && (workspaceName == null || w.Name == workspaceName)
                orderby w.Name
                select new { u.PasswordHash, Identity = new Identity(u.Id, u.Name, w.Id, w.Name, u.Role) })
            .Take(100)
            .ToListAsync(ct);
        var user = candidates.Count == 1 ? candidates[0] : candidates.SingleOrDefault(c => c.Identity.WorkspaceName == TenantAdmin.DefaultWorkspace);
        if (user is null)
        {
            return null;
        }
        var (valid, needsRehash) = passwords.Check(password, user.PasswordHash!);
        if (valid && needsRehash)
        {
            await db.Users.IgnoreQueryFilters().Where(u => u.Id == user.Identity.UserId && u.PasswordHash == user.PasswordHash)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, passwords.Hash(password)), ct);
        }
        return valid ? user.Identity : null;
    }

    private sealed record Match(string? SecretHash, Identity Identity);

    private static IQueryable<Match> IdentityQuery(MlOpsDbContext db, System.Linq.Expressions.Expression<Func<Credential, bool>> which) =>
        from c in db.Credentials.IgnoreQueryFilters().Where(which)
        join u in db.Users.IgnoreQueryFilters() on c.UserId equals u.Id
        where !u.Deactivated
        join w in db.Workspaces on c.WorkspaceId equals w.Id
        select new Match(c.SecretHash, new Identity(u.Id, u.Name, w.Id, w.Name, u.Role));
}
