using Microsoft.EntityFrameworkCore;

namespace MlOps.Data.Tenancy;

/// <summary>Signed-out tokens, kept in the database so that every replica refuses them, and pruned once they expire.</summary>
public sealed class RevokedTokenStore(WorkspaceContextFactory contexts)
{
    public async Task AddAsync(string tokenId, DateTime expiresAt, DateTime now, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO revoked_tokens (token_id, expires_at) VALUES ({tokenId}, {expiresAt}) ON CONFLICT (token_id) DO NOTHING", ct);
        await db.RevokedTokens.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(ct);
    }

    public async Task<HashSet<string>> ActiveAsync(DateTime now, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        return [.. await db.RevokedTokens.AsNoTracking().Where(t => t.ExpiresAt >= now).Select(t => t.TokenId).ToListAsync(ct)];
    }
}
