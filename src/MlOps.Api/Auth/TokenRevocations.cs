using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// Which signed-out tokens to refuse. The list lives in the database (every replica honours a logout made on any
/// other); each replica reads it again when its copy is more than <see cref="Refresh"/> old, so a check costs no query
/// on the request path, and a token signed out here is refused here at once.
/// </summary>
public sealed class TokenRevocations(RevokedTokenStore store, TimeProvider clock)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile HashSet<string> _revoked = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    public async ValueTask<bool> IsRevokedAsync(string tokenId, CancellationToken ct)
    {
        if (clock.GetUtcNow() - _loadedAt > Refresh)
        {
            await ReloadAsync(ct);
        }
        return _revoked.Contains(tokenId);
    }

    public async Task RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await store.AddAsync(tokenId, expiresAt.UtcDateTime, clock.GetUtcNow().UtcDateTime, ct);
        lock (_reload)
        {
            _revoked = [.. _revoked, tokenId];
        }
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (now - _loadedAt > Refresh)
            {
                var active = await store.ActiveAsync(now.UtcDateTime, ct);
                lock (_reload)
                {
                    _revoked = active;
                }
                _loadedAt = now;
            }
        }
        finally
        {
            _reload.Release();
        }
    }
}
