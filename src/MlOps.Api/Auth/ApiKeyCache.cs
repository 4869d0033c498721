using System.Collections.Concurrent;
using MlOps.Data.Security;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// Remembers which identity an API key proved, for a few seconds, so that clients posting one point per
/// request do not pay a database lookup each time. Only successful lookups are kept (a wrong key is always
/// checked), keyed by the key's digest; a revoked key stops working on every replica within <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiKeyCache(CredentialStore credentials, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (Identity Identity, DateTimeOffset Expires)> _entries = new();

    public async Task<Identity?> FindAsync(string apiKey, CancellationToken ct)
    {
        var digest = SecretHasher.DigestApiKey(apiKey);
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(digest, out var entry) && entry.Expires > now)
        {
            return entry.Identity;
        }
        var identity = await credentials.FindByApiKeyAsync(apiKey, ct);
        if (identity is null)
        {
            _entries.TryRemove(digest, out _);
            return null;
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[digest] = (identity, now + Lifetime);
        return identity;
    }

    /// <summary>Drops what this replica remembers for the user, so keys just revoked stop working here at once.</summary>
    public void Forget(Guid userId)
    {
        foreach (var (digest, entry) in _entries)
        {
            if (entry.Identity.UserId == userId)
            {
                _entries.TryRemove(digest, out _);
            }
        }
    }
}
