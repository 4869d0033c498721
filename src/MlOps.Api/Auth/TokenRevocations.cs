using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// Which signed-out tokens to refuse. The list lives in the database (every replica honours a logout made on any
/// other); each replica reads it again when its copy is more than <see cref="Refresh"/> old, so a check costs no query
/// on the request path. A token signed out is refused here at once, and on the other replicas as soon as the cluster
/// message (<see cref="Data.Cluster.ClusterSignals"/>) reaches them; the reload covers a message one missed.
/// </summary>
public sealed class TokenRevocations
{
    public const string TokenRevoked = "token:";

    private readonly RevokedTokenStore store;
    private readonly TimeProvider clock;
    private readonly Data.Cluster.ClusterSignals signals;

    public TokenRevocations(RevokedTokenStore store, TimeProvider clock, Data.Cluster.ClusterSignals signals)
    {
        this.store = store;
        this.clock = clock;
        this.signals = signals;
        signals.Subscribe(message =>
        {
            if (message.StartsWith(TokenRevoked, StringComparison.Ordinal))
            {
                Remember(message[TokenRevoked.Length..]);
            }
        });
    }

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
        await signals.PublishAsync(TokenRevoked + tokenId, ct);
    }

    private void Remember(string tokenId)
    {
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
