using Microsoft.Extensions.Logging;
using Npgsql;

namespace MlOps.Data.Cluster;

/// <summary>
/// Cluster messages over PostgreSQL's NOTIFY/LISTEN on one channel: a listening connection per replica, opened again
/// after a failure. A message sent while a replica is reconnecting is lost to it; what listeners cache expires anyway
/// (listeners use this to act at once, not as their only way to learn of a change).
/// </summary>
public sealed class PostgresClusterSignals(string connectionString, ILogger<PostgresClusterSignals> log) : ClusterSignals
{
    private const string Channel = "mlops_cluster";
    /// <summary>Tells this instance's own messages apart from other replicas' (two may share a process in tests).</summary>
    private readonly string _origin = Guid.NewGuid().ToString("N");

    /// <summary>Whether this replica's listening connection is up (messages from others reach it).</summary>
    public bool Listening { get; private set; }

    protected override async Task SendToOthersAsync(string message, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @message)", connection);
        notify.Parameters.AddWithValue("channel", Channel);
        notify.Parameters.AddWithValue("message", $"{_origin}|{message}");
        await notify.ExecuteNonQueryAsync(ct);
    }

    public override async Task ListenAsync(CancellationToken ct)
    {
        for (var delay = TimeSpan.FromSeconds(1); !ct.IsCancellationRequested; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => Received(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                Listening = true;
                delay = TimeSpan.FromSeconds(1);
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Listening = false;
                log.LogWarning(e, "Cluster messages: the listening connection failed; reconnecting in {Delay}", delay);
                await Task.Delay(delay, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>This instance's own messages were delivered when published; only others' are delivered here.</summary>
    private void Received(string payload)
    {
        var bar = payload.IndexOf('|');
        if (bar > 0 && payload[..bar] != _origin)
        {
            Deliver(payload[(bar + 1)..]);
        }
    }
}
