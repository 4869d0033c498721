using MlOps.Api.Auth;
using MlOps.Data.Cluster;

namespace MlOps.Api.Platform;

/// <summary>
/// Keeps this replica listening to the others (<see cref="ClusterSignals"/>) and wires what they say to the caches:
/// <c>user:{id}</c> (keys or memberships changed) empties the user's cached keys and memberships at once, on every replica.
/// </summary>
public sealed class ClusterListener : BackgroundService
{
    public const string UserChanged = "user:";

    private readonly ClusterSignals _signals;

    public ClusterListener(ClusterSignals signals, ApiKeyCache keys, MembershipCache memberships)
    {
        _signals = signals;
        signals.Subscribe(message =>
        {
            if (message.StartsWith(UserChanged, StringComparison.Ordinal) && Guid.TryParse(message.AsSpan(UserChanged.Length), out var userId))
            {
                keys.Forget(userId);
                memberships.Forget(userId);
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _signals.ListenAsync(stoppingToken);
}
