using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace MlOps.Data;

/// <summary>The production database: binary COPY for bulk writes, and its error codes read as the model's rules.</summary>
public sealed class PostgresMlOpsDbContext(DbContextOptions<PostgresMlOpsDbContext> options, IWorkspaceScope scope)
    : MlOpsDbContext(options, scope)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>
    /// The points table keeps only its (series, step) index: a primary key costs an index insert per row and a foreign
    /// key a lookup per row, together most of a COPY's time (BENCHMARKS.md). Point ids still come from a sequence (each
    /// connection takes 1,000 at a time) and order points of one step; a trigger on <c>metric_series</c> deletes a
    /// series' points, and the store locks the series it writes to, so no point outlives its series. The table is
    /// partitioned by ranges of ids (<see cref="PointPartitions"/>); PostgreSQL 15 refuses identity columns on a
    /// partitioned table, hence a plain sequence as the default.
    /// </summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        var points = modelBuilder.Entity<MetricPoint>();
        foreach (var foreignKey in points.Metadata.GetForeignKeys().ToList())
        {
            points.Metadata.RemoveForeignKey(foreignKey);
        }
        points.HasNoKey();
        // The model cannot say CACHE 1000: the migration that made the sequence (PartitionedMetricPoints) sets it.
        modelBuilder.HasSequence<long>(PointPartitions.IdSequence);
        points.Property(p => p.Id).UseSequence(PointPartitions.IdSequence);
    }

    /// <summary>
    /// Npgsql's migrator reads the history table before it exists and logs the failed read as an error on every empty
    /// database (npgsql/efcore.pg#3407); creating the table first avoids it.
    /// </summary>
    public override async Task PrepareAsync(CancellationToken ct)
    {
        if (await this.GetService<IRelationalDatabaseCreator>().ExistsAsync(ct))
        {
            await this.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        }
    }

    /// <summary>What an UPDATE of non-key columns takes; it does not wait for the key-share locks foreign keys take.</summary>
    public override string? RowUpdateLock => "FOR NO KEY UPDATE";

    public override string ClaimRowsLock => "FOR UPDATE SKIP LOCKED";

    /// <summary>Arbitrary, fixed: the advisory lock every replica of this server takes for its start-up.</summary>
    public const long StartupLockKey = 0x4D4C4F7073_01; // "MLOps", 1

    /// <summary>A session-level advisory lock on a connection of its own, released explicitly (pooling would keep the session).</summary>
    public override async Task<IAsyncDisposable> LockStartupAsync(CancellationToken ct)
    {
        var creator = this.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(ct))
        {
            try
            {
                await creator.CreateAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
            {
                // another replica created it first
            }
        }
        var connection = new NpgsqlConnection(Database.GetConnectionString());
        await connection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({StartupLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(ct);
        }
        return new AdvisoryLock(connection);
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({StartupLockKey})", connection))
            {
                await release.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }

    public override bool IsForeignKeyViolation(Exception e) => Refusal(e)?.SqlState == PostgresErrorCodes.ForeignKeyViolation;

    /// <summary>Class 22 (data exception) is the value's fault: a regular expression too complex, a NUL in text, ...</summary>
    public override DomainException? RefusedValue(Exception e) =>
        Refusal(e) is { SqlState: var state } refused && state.StartsWith("22", StringComparison.Ordinal)
            ? new(state == PostgresErrorCodes.InvalidRegularExpression ? DomainError.InvalidPattern : DomainError.InvalidInput, EntityKind.Project, refused.MessageText)
            : null;

    private static PostgresException? Refusal(Exception e) => e as PostgresException ?? e.InnerException as PostgresException;

    /// <summary>
    /// Binary COPY. Rows are written with the synchronous calls: the importer only touches the socket when its buffer
    /// fills, and an await per value costs more than the copy itself.
    /// </summary>
    public override async Task<bool> TryCopyPointsAsync(Guid workspaceId, IReadOnlyList<PointInput> points, Func<PointInput, long> seriesOf, CancellationToken ct)
    {
        await using var writer = await Connection.BeginBinaryImportAsync(
            "COPY metric_points (workspace_id, series_id, step, epoch, timestamp, value) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var p in points)
        {
            writer.StartRow();
            writer.Write(workspaceId, NpgsqlDbType.Uuid);
            writer.Write(seriesOf(p), NpgsqlDbType.Bigint);
            writer.Write(p.Step, NpgsqlDbType.Bigint);
            writer.Write(p.Epoch, NpgsqlDbType.Double);
            writer.Write(p.Timestamp, NpgsqlDbType.TimestampTz);
            writer.Write(p.Value, NpgsqlDbType.Double);
        }
        await writer.CompleteAsync(ct);
        return true;
    }

    public override async Task<bool> TryCopyEventsAsync(Guid workspaceId, IReadOnlyList<EventInput> events, CancellationToken ct)
    {
        await using var writer = await Connection.BeginBinaryImportAsync(
            "COPY events (workspace_id, experiment_id, kind, iteration, metric, variant, timestamp, payload) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var e in events)
        {
            writer.StartRow();
            writer.Write(workspaceId, NpgsqlDbType.Uuid);
            writer.Write(e.ExperimentId, NpgsqlDbType.Uuid);
            writer.Write(e.Kind.ToString(), NpgsqlDbType.Varchar);
            writer.Write(e.Iteration, NpgsqlDbType.Bigint);
            writer.Write(e.Metric, NpgsqlDbType.Text);
            writer.Write(e.Variant, NpgsqlDbType.Text);
            writer.Write(e.Timestamp, NpgsqlDbType.TimestampTz);
            writer.Write(e.Payload, NpgsqlDbType.Text);
        }
        await writer.CompleteAsync(ct);
        return true;
    }

    public override Task KeepPointsAsync(PointKeeping keeping, CancellationToken ct) => PointPartitions.KeepAsync(this, keeping, ct);

    private NpgsqlConnection Connection => (NpgsqlConnection)Database.GetDbConnection();
}
