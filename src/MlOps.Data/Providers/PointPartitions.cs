using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using Npgsql;

namespace MlOps.Data;

/// <summary>
/// <c>metric_points</c> on PostgreSQL is partitioned by ranges of ids. Ids come from a sequence, so they follow ingest:
/// only the newest partition takes rows and its index stays small however large the table grows, and retention drops
/// whole partitions instead of deleting rows. Partitions are made ahead of the sequence; a DEFAULT partition takes
/// whatever arrives when they were not made in time, so an insert never fails.
/// </summary>
internal static partial class PointPartitions
{
    public const string IdSequence = "metric_points_id_seq";
    public const string DefaultPartition = "metric_points_default";

    /// <summary>Empty partitions kept ahead of the sequence.</summary>
    public const int Ahead = 2;

    /// <summary>Arbitrary, fixed: replicas take turns keeping the partitions (the next one finds little left to do).</summary>
    private const long LockKey = 0x4D4C4F7073_02; // "MLOps", 2

    private static string NameFor(long lower) => $"metric_points_p{lower}";

    public static async Task KeepAsync(PostgresMlOpsDbContext db, PointKeeping keeping, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        // Attaching and dropping partitions wait for locks that ingest holds; better to try again at the next pass.
        await ExecuteAsync(connection, "SET LOCAL lock_timeout = '5s'", ct);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockKey})", ct);
        var issued = await ScalarAsync<long>(connection, $"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {IdSequence}", ct);
        var ranges = await RangesAsync(connection, ct);
        await MakeAheadAsync(connection, ranges, issued, keeping.PartitionRows, ct);
        await SealAsync(db, ranges, issued, keeping.Now, ct);
        if (await keeping.ExpiredBelowAsync(db, ct) is { } expiredBelow)
        {
            await DropAsync(db, connection, ranges.Where(r => r.Upper <= expiredBelow && r.Upper <= issued), expiredBelow, ct);
        }
        await transaction.CommitAsync(ct);
    }

    private sealed record Range(string Name, long Lower, long Upper);

    /// <summary>Partitions until <see cref="Ahead"/> of them start above every id handed out, above any row the DEFAULT partition took.</summary>
    private static async Task MakeAheadAsync(NpgsqlConnection connection, List<Range> ranges, long issued, long rows, CancellationToken ct)
    {
        var next = ranges.Count > 0 ? ranges[^1].Upper : issued + 1;
        if (await ScalarAsync<long?>(connection, $"SELECT max(id) FROM {DefaultPartition}", ct) is { } spilled && spilled >= next)
        {
            next = spilled + 1;
        }
        for (var ahead = ranges.Count(r => r.Lower > issued); ahead < Ahead; ahead++, next += rows)
        {
            var name = NameFor(next);
            await ExecuteAsync(connection,
                $"CREATE TABLE {name} (LIKE metric_points); ALTER TABLE metric_points ATTACH PARTITION {name} FOR VALUES FROM ({next}) TO ({next + rows})", ct);
            ranges.Add(new(name, next, next + rows));
        }
    }

    /// <summary>A partition is sealed once the sequence has handed out an id at or above its upper bound.</summary>
    private static async Task SealAsync(PostgresMlOpsDbContext db, List<Range> ranges, long issued, DateTime now, CancellationToken ct)
    {
        var sealedUppers = ranges.Where(r => r.Upper <= issued).Select(r => r.Upper).ToList();
        var marked = await db.MetricPointMarks.Where(m => sealedUppers.Contains(m.UpperId)).Select(m => m.UpperId).ToListAsync(ct);
        db.MetricPointMarks.AddRange(sealedUppers.Except(marked).Select(upper => new MetricPointMark { UpperId = upper, SealedAt = now }));
        await db.SaveChangesAsync(ct);
    }

    private static async Task DropAsync(PostgresMlOpsDbContext db, NpgsqlConnection connection, IEnumerable<Range> expired, long expiredBelow, CancellationToken ct)
    {
        foreach (var range in expired)
        {
            await ExecuteAsync(connection, $"DROP TABLE {range.Name}", ct);
        }
        await ExecuteAsync(connection, $"DELETE FROM {DefaultPartition} WHERE id < {expiredBelow}", ct);
        await db.MetricPointMarks.Where(m => m.UpperId <= expiredBelow).ExecuteDeleteAsync(ct);
    }

    private static async Task<List<Range>> RangesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'metric_points'::regclass
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ranges = new List<Range>();
        while (await reader.ReadAsync(ct))
        {
            if (Bounds().Match(reader.GetString(1)) is { Success: true } bounds)
            {
                ranges.Add(new(reader.GetString(0), Bound(bounds.Groups[1].Value), Bound(bounds.Groups[2].Value)));
            }
        }
        return [.. ranges.OrderBy(r => r.Upper)];
    }

    private static long Bound(string value) => value switch
    {
        "MINVALUE" => long.MinValue,
        "MAXVALUE" => long.MaxValue,
        _ => long.Parse(value.Trim('\''), CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^FOR VALUES FROM \((.+)\) TO \((.+)\)$")]
    private static partial Regex Bounds();

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default! : (T)value;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
