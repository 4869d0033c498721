namespace MlOps.Data.Cluster;

/// <summary>
/// Short messages every replica of the server hears, its own included (e.g. "forget what you cached for this user").
/// On PostgreSQL they travel by NOTIFY/LISTEN (<see cref="PostgresClusterSignals"/>); with SQLite there is one process,
/// so a message reaches only its own listeners.
/// </summary>
public abstract class ClusterSignals
{
    private readonly List<Action<string>> _listeners = [];

    /// <summary>Called with every message, from any replica (the sender's own at once).</summary>
    public void Subscribe(Action<string> listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
    }

    /// <summary>Delivers the message here at once, then to every other replica.</summary>
    public async Task PublishAsync(string message, CancellationToken ct)
    {
        Deliver(message);
        await SendToOthersAsync(message, ct);
    }

    protected abstract Task SendToOthersAsync(string message, CancellationToken ct);

    /// <summary>Hears other replicas' messages until <paramref name="ct"/> ends (run by the host).</summary>
    public virtual Task ListenAsync(CancellationToken ct) => Task.CompletedTask;

    protected void Deliver(string message)
    {
        Action<string>[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }
        foreach (var listener in listeners)
        {
            listener(message);
        }
    }
}

/// <summary>One process: a message reaches its own listeners only.</summary>
public sealed class LocalClusterSignals : ClusterSignals
{
    protected override Task SendToOthersAsync(string message, CancellationToken ct) => Task.CompletedTask;
}
