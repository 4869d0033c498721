using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace MlOps.Data.Replication;

/// <summary>Where heavy reads may go (a PostgreSQL streaming replica), and how long a read waits for it to catch up.</summary>
public sealed record ReadReplicaSettings(string ConnectionString, TimeSpan Wait);

/// <summary>
/// A PostgreSQL streaming replica (hot standby) that takes heavy reads off the primary without ever showing a client less
/// than it was acknowledged: a read goes there only once the replica has replayed the primary's WAL up to where it stood
/// when the read began, waiting at most <see cref="ReadReplicaSettings.Wait"/>. Otherwise (still behind, unreachable, not
/// a standby) the read goes to the primary and the reason is logged, once a minute at most per reason. The rule rests on
/// nothing a process remembers, so it holds across requests and across servers behind a load balancer.
/// </summary>
public sealed class ReadReplica
{
    /// <summary>How long a replica that could not be reached (or is no standby) is left alone before a read tries it again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(50);

    private readonly ReadReplicaSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger<ReadReplica> _logger;
    private readonly DbContextOptions<PostgresMlOpsDbContext> _options;
    private readonly Fallbacks _fallbacks = new();
    private long _retryAtTicks;

    public ReadReplica(ReadReplicaSettings settings, TimeProvider clock, ILogger<ReadReplica> logger)
    {
        _settings = settings;
        _clock = clock;
        _logger = logger;
        var options = new DbContextOptionsBuilder<PostgresMlOpsDbContext>();
        DataServiceCollectionExtensions.UsePostgres(options, settings.ConnectionString).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        _options = options.Options;
    }

    /// <summary>
    /// A context on the replica, filtered by the same workspace scope as <paramref name="primary"/>, once the replica has
    /// replayed everything the primary had when asked; null when the read must go to the primary.
    /// </summary>
    public async Task<MlOpsDbContext?> CaughtUpAsync(MlOpsDbContext primary, CancellationToken ct)
    {
        if (_clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _retryAtTicks))
        {
            return null;
        }
        var target = await PrimaryPositionAsync(primary, ct);
        var replica = new PostgresMlOpsDbContext(_options, primary.Scope);
        var caughtUp = false;
        try
        {
            caughtUp = await WaitForAsync(replica, target, ct);
            return caughtUp ? replica : null;
        }
        finally
        {
            if (!caughtUp)
            {
                await replica.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Where the primary's next WAL record will start: every commit it acknowledged ends before it, asynchronous ones too
    /// (whose WAL may not be written yet, which <c>pg_current_wal_lsn()</c> would miss).
    /// </summary>
    private static async Task<NpgsqlLogSequenceNumber> PrimaryPositionAsync(MlOpsDbContext primary, CancellationToken ct)
    {
        await primary.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = primary.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT pg_current_wal_insert_lsn(), current_setting('wal_block_size')::int, "
                + "(SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')";
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new(ReplayTarget((ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(0), reader.GetInt32(1), reader.GetInt64(2)));
        }
        finally
        {
            await primary.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The replay position a replica must reach to hold everything before <paramref name="insertPosition"/>. A position just
    /// past a page header (24 bytes, 40 on a segment's first page) means the last record ended at the page boundary, which is
    /// what a replica that replayed it reports; no record ends inside a header.
    /// </summary>
    public static ulong ReplayTarget(ulong insertPosition, int walBlockSize, long walSegmentSize)
    {
        var offset = insertPosition % (ulong)walBlockSize;
        var pageStart = insertPosition - offset;
        var header = pageStart % (ulong)walSegmentSize == 0 ? 40UL : 24UL;
        return offset == header ? pageStart : insertPosition;
    }

    /// <summary>Connects to the replica and polls its replay position until it reaches <paramref name="target"/> or the wait ends.</summary>
    private async Task<bool> WaitForAsync(PostgresMlOpsDbContext replica, NpgsqlLogSequenceNumber target, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(_settings.Wait, _clock);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            // Opened here, not by EF (whose execution strategy would wrap a refusal), and kept open for the request's reads:
            // they run on the connection just checked, and the context closes it when disposed.
            await replica.Database.GetDbConnection().OpenAsync(bounded.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is DbException or OperationCanceledException or TimeoutException)
        {
            Unusable(Fallback.Unreachable, e);
            return false;
        }
        try
        {
            for (var pause = FirstPoll; ; pause = Min(pause * 2, LongestPoll))
            {
                var replayed = await ReplayedAsync(replica, bounded.Token);
                if (replayed is null)
                {
                    Unusable(Fallback.NotStandby, null);
                    return false;
                }
                if (replayed >= target)
                {
                    return true;
                }
                await Task.Delay(pause, _clock, bounded.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Note(Fallback.Behind, null);
            return false;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is DbException or TimeoutException)
        {
            Unusable(Fallback.Unreachable, e);
            return false;
        }
    }

    /// <summary>How far the replica has replayed; null when it is not in recovery (a primary, or a promoted standby).</summary>
    private static async Task<NpgsqlLogSequenceNumber?> ReplayedAsync(PostgresMlOpsDbContext replica, CancellationToken ct)
    {
        await using var command = replica.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT pg_last_wal_replay_lsn()";
        var replayed = await command.ExecuteScalarAsync(ct);
        return replayed is NpgsqlLogSequenceNumber position ? position : null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void Unusable(Fallback why, Exception? error)
    {
        Interlocked.Exchange(ref _retryAtTicks, (_clock.GetUtcNow() + RetryAfter).UtcTicks);
        Note(why, error);
    }

    private void Note(Fallback why, Exception? error)
    {
        if (_fallbacks.Due(why, _clock.GetUtcNow(), LogEvery) is not { } count)
        {
            return;
        }
        var wait = _settings.Wait.TotalMilliseconds;
        switch (why)
        {
            case Fallback.Behind:
                _logger.LogInformation(
                    "Heavy reads went to the primary: the read replica had not replayed the primary's WAL within {WaitMilliseconds} ms ({Count} reads since the last such message)",
                    wait, count);
                break;
            case Fallback.NotStandby:
                _logger.LogWarning(
                    "Heavy reads go to the primary: ConnectionStrings:MlOpsReadOnly names a server that is not a standby in recovery ({Count} reads since the last such message); trying again in {RetrySeconds} s",
                    count, RetryAfter.TotalSeconds);
                break;
            default:
                _logger.LogWarning(error,
                    "Heavy reads go to the primary: the read replica cannot be reached ({Count} reads since the last such message); trying again in {RetrySeconds} s",
                    count, RetryAfter.TotalSeconds);
                break;
        }
    }

    private enum Fallback
    {
        Behind,
        Unreachable,
        NotStandby,
    }

    /// <summary>Fallbacks counted per reason, so a message says how many reads went to the primary since the last one.</summary>
    private sealed class Fallbacks
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<Fallback, (long Count, DateTimeOffset LoggedAt)> _counts = [];

        /// <summary>The count to log now, including this one, or null while the reason was logged less than <paramref name="every"/> ago.</summary>
        public long? Due(Fallback why, DateTimeOffset now, TimeSpan every)
        {
            lock (_gate)
            {
                var (count, loggedAt) = _counts.GetValueOrDefault(why, (0, DateTimeOffset.MinValue));
                count++;
                if (now - loggedAt < every)
                {
                    _counts[why] = (count, loggedAt);
                    return null;
                }
                _counts[why] = (0, now);
                return count;
            }
        }
    }
}
