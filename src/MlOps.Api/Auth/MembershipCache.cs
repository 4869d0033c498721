using System.Collections.Concurrent;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// Each user's other workspaces, kept for <see cref="ApiKeyCache.Lifetime"/> so that the common caller, who
/// belongs to none, pays no lookup per request. A membership added here is seen at once on this replica.
/// </summary>
public sealed class MembershipCache(Memberships memberships, TimeProvider clock, Data.Cluster.ClusterSignals signals)
{
    private readonly ConcurrentDictionary<Guid, (List<MemberWorkspace> Workspaces, DateTimeOffset Expires)> _entries = new();

    public async Task<List<MemberWorkspace>> OfUserAsync(Guid userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(userId, out var entry) && entry.Expires > now)
        {
            return entry.Workspaces;
        }
        var found = await memberships.OfUserAsync(userId, ct);
        _entries[userId] = (found, now + ApiKeyCache.Lifetime);
        return found;
    }

    /// <summary>Adds the membership and tells every replica to forget the user's cached memberships.</summary>
    public async Task AddAsync(Guid workspaceId, Guid userId, bool isAdmin, CancellationToken ct)
    {
        await memberships.AddAsync(workspaceId, userId, isAdmin, ct);
        await signals.PublishAsync(Platform.ClusterListener.UserChanged + userId.ToString("N"), ct);
    }

    public void Forget(Guid userId) => _entries.TryRemove(userId, out _);
}
