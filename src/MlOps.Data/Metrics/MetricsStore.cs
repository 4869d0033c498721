using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Data.Metrics;

public sealed record PointInput(Guid ExperimentId, string Metric, string Variant, long Step, double? Epoch, DateTime Timestamp, double Value);

public sealed record EventInput(Guid ExperimentId, EventKind Kind, long? Iteration, string? Metric, string? Variant, DateTime Timestamp, string Payload);

/// <summary>One request's reports, with the digest that recognises the request if it is sent again (null: none).</summary>
public sealed record IngestPart(string? Receipt, IReadOnlyList<PointInput> Points, IReadOnlyList<EventInput> Events);

/// <summary>
/// The reporting hot path: scalar points and non-scalar events of one request are written in one
/// transaction, bypassing the change tracker (binary COPY on PostgreSQL, parameterized inserts on
/// SQLite). Each series' running summary and each experiment's last iteration are updated in the
/// same transaction, so an acknowledged batch is durable with its summaries, or not there at all.
/// Going around the context's tenant filter, it enforces isolation itself: a series is only created for an
/// experiment of the scope's workspace and only looked up through the filter, events name only experiments the
/// filter finds, and every statement matches rows on the workspace too. A batch naming any other experiment
/// writes nothing and fails as not found.
/// </summary>
public sealed class MetricsStore(MlOpsDbContext db, SeriesIdCache cachedSeries, TimeProvider clock)
{
    /// <summary>From this many points a PostgreSQL batch is sent by binary COPY; fewer go in the statement batch.</summary>
    private const int CopyThreshold = 500;
    private const int RowsPerStatement = 1000;

    /// <summary>Stores the reports; with a <paramref name="receipt"/>, a request already stored under it is not stored again.</summary>
    public Task AppendAsync(IReadOnlyList<PointInput> points, IReadOnlyList<EventInput> events, CancellationToken ct, string? receipt = null) =>
        AppendAsync([new IngestPart(receipt, points, events)], ct);

    /// <summary>Several requests' reports in one transaction (group commit); each part whose receipt is known is skipped.</summary>
    public async Task AppendAsync(IReadOnlyList<IngestPart> parts, CancellationToken ct)
    {
        if (parts.All(p => p.Points.Count == 0 && p.Events.Count == 0))
        {
            return;
        }
        var workspaceId = db.ScopeWorkspaceId ?? throw new InvalidOperationException("reports need a workspace scope");
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            try
            {
                await WriteAsync(workspaceId, parts, ct);
            }
            catch (Exception e) when (e is SeriesGone || db.IsForeignKeyViolation(e))
            {
                // A cached series id may name a series deleted since; look the ids up again, once.
                cachedSeries.Evict(parts.SelectMany(p => p.Points).Select(p => new SeriesKey(workspaceId, p.ExperimentId, p.Metric, p.Variant)));
                await WriteAsync(workspaceId, parts, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// One transaction: the parts' receipts claimed (a part already stored is left out), points (binary COPY for large
    /// PostgreSQL batches, multi-row inserts otherwise), then every series summary and experiment iteration in one
    /// batch of statements, so a small batch costs a few round trips.
    /// </summary>
    private async Task WriteAsync(Guid workspaceId, IReadOnlyList<IngestPart> parts, CancellationToken ct)
    {
        var stage = Stopwatch.GetTimestamp();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var fresh = await ClaimReceiptsAsync(workspaceId, parts, ct);
        var points = fresh.SelectMany(p => p.Points).ToList();
        var events = fresh.SelectMany(p => p.Events).ToList();
        var seriesIds = await EnsureSeriesAsync(workspaceId, points, ct);
        var proven = seriesIds.Keys.Select(k => k.Item1).ToHashSet();
        await db.Experiments.RequireAllAsync([.. events.Select(e => e.ExperimentId).Where(id => !proven.Contains(id)).Distinct()], EntityKind.Experiment, ct);
        var bySeries = points.GroupBy(p => seriesIds[(p.ExperimentId, p.Metric, p.Variant)]).OrderBy(g => g.Key).ToList();
        await LockSeriesAsync(workspaceId, bySeries.Select(g => g.Key).ToList(), ct);
        stage = IngestMetrics.Spent(IngestStage.Prepare, stage);
        var statements = new StatementBatch(db);
        if (points.Count < CopyThreshold || !await db.TryCopyPointsAsync(workspaceId, points, p => seriesIds[(p.ExperimentId, p.Metric, p.Variant)], ct))
        {
            InsertPoints(statements, workspaceId, seriesIds, points);
        }
        await InsertEventsAsync(workspaceId, events, ct);
        stage = IngestMetrics.Spent(IngestStage.Points, stage);
        var experimentIds = points.Select(p => p.ExperimentId).Concat(events.Select(e => e.ExperimentId)).Distinct().ToList();
        if (experimentIds.Count > 1) // one row updated after the series cannot deadlock; several must be taken in order
        {
            LockInOrder(statements, "experiments", experimentIds.OrderBy(id => id.ToString("N"), StringComparer.Ordinal).Select(id => (object)id));
        }
        UpdateSummaries(statements, workspaceId, bySeries);
        UpsertTiers(statements, workspaceId, seriesIds, points);
        RaiseLastIterations(statements, workspaceId, points, events);
        await statements.ExecuteAsync(ct);
        stage = IngestMetrics.Spent(IngestStage.Summaries, stage);
        await transaction.CommitAsync(ct);
        IngestMetrics.Spent(IngestStage.Commit, stage);
        IngestMetrics.Committed(points.Count, events.Count);
    }

    /// <summary>
    /// The parts to store: those without a receipt, and the first with each receipt not stored before. A receipt is
    /// claimed in the transaction that stores its part, so a concurrent copy of the request waits for it and then
    /// finds it taken; a failed write releases it.
    /// </summary>
    private async Task<List<IngestPart>> ClaimReceiptsAsync(Guid workspaceId, IReadOnlyList<IngestPart> parts, CancellationToken ct)
    {
        var receipts = parts.Select(p => p.Receipt).OfType<string>().Distinct().ToList();
        if (receipts.Count == 0)
        {
            return [.. parts];
        }
        var claimed = new HashSet<string>();
        foreach (var chunk in receipts.Chunk(RowsPerStatement))
        {
            var args = new List<object> { workspaceId, clock.GetUtcNow().UtcDateTime };
            var values = string.Join(", ", chunk.Select(r =>
            {
                args.Add(r);
                return $"({{0}}, {{{args.Count - 1}}}, {{1}})";
            }));
            var sql = "INSERT INTO ingest_receipts (workspace_id, digest, created_at) VALUES " + values + " ON CONFLICT DO NOTHING RETURNING digest AS \"Value\"";
            claimed.UnionWith(await db.Database.SqlQueryRaw<string>(sql, [.. args]).ToListAsync(ct)); // placeholders only, values bound
        }
        return [.. parts.Where(p => p.Receipt is null || claimed.Remove(p.Receipt))];
    }

    /// <summary>Deletes every report of the experiment (points go with their series); returns how many there were.</summary>
    public async Task<long> DeleteAllAsync(Guid experimentId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var points = await db.MetricSeries.Where(s => s.ExperimentId == experimentId).SumAsync(s => s.Count, ct);
        await db.MetricSeries.Where(s => s.ExperimentId == experimentId).ExecuteDeleteAsync(ct);
        var events = await db.Events.Where(e => e.ExperimentId == experimentId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return points + events;
    }

    /// <summary>Deletes the experiment's console lines, or only those older than <paramref name="before"/>.</summary>
    public Task<int> DeleteLogAsync(Guid experimentId, DateTime? before, CancellationToken ct) =>
        db.Events.Where(e => e.ExperimentId == experimentId && e.Kind == EventKind.Log && (before == null || e.Timestamp < before))
            .ExecuteDeleteAsync(ct);

    public Task<List<MetricSeries>> SummariesAsync(IReadOnlyCollection<Guid> experimentIds, CancellationToken ct) =>
        db.MetricSeries.AsNoTracking().Where(s => experimentIds.Contains(s.ExperimentId)).ToListAsync(ct);

    /// <summary>
    /// The id of each series the points name, created when missing. A series is only created for an experiment of
    /// the workspace, and only looked up through the tenant filter, so a key naming anyone else's experiment finds
    /// nothing and fails the batch as not found.
    /// </summary>
    private async Task<Dictionary<(Guid, string, string), long>> EnsureSeriesAsync(
        Guid workspaceId, IReadOnlyList<PointInput> points, CancellationToken ct)
    {
        var ids = new Dictionary<(Guid, string, string), long>();
        var missing = new List<(Guid ExperimentId, string Metric, string Variant)>();
        foreach (var key in points.Select(p => (p.ExperimentId, p.Metric, p.Variant)).Distinct())
        {
            if (cachedSeries.TryGet(new SeriesKey(workspaceId, key.ExperimentId, key.Metric, key.Variant), out var id))
            {
                ids[key] = id;
            }
            else
            {
                missing.Add(key);
            }
        }
        if (missing.Count == 0)
        {
            return ids;
        }
        foreach (var (experimentId, metric, variant) in missing)
        {
            // Insert-if-missing in one statement, so concurrent batches creating the same series both succeed.
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO metric_series (workspace_id, experiment_id, metric, variant, count, last_value, last_step, last_timestamp, min_value, min_step, max_value, max_step)
                SELECT {workspaceId}, id, {metric}, {variant}, 0, 0, 0, {DateTime.UnixEpoch}, 0, 0, 0, 0 FROM experiments
                WHERE id = {experimentId} AND workspace_id = {workspaceId}
                ON CONFLICT (experiment_id, metric, variant) DO NOTHING
                """, ct);
        }
        var experimentIds = missing.Select(k => k.ExperimentId).Distinct().ToList();
        var metrics = missing.Select(k => k.Metric).Distinct().ToList();
        var existing = await db.MetricSeries.AsNoTracking()
            .Where(s => experimentIds.Contains(s.ExperimentId) && metrics.Contains(s.Metric))
            .Select(s => new { s.Id, s.ExperimentId, s.Metric, s.Variant })
            .ToListAsync(ct);
        foreach (var s in existing)
        {
            var key = (s.ExperimentId, s.Metric, s.Variant);
            ids[key] = s.Id;
            cachedSeries.Add(new SeriesKey(workspaceId, s.ExperimentId, s.Metric, s.Variant), s.Id);
        }
        foreach (var key in missing.Where(k => !ids.ContainsKey(k)))
        {
            throw DomainException.NotFound(EntityKind.Experiment, key.ExperimentId.ToString("N"));
        }
        return ids;
    }

    private static void InsertPoints(StatementBatch statements, Guid workspaceId, Dictionary<(Guid, string, string), long> seriesIds, IReadOnlyList<PointInput> points)
    {
        foreach (var chunk in points.Chunk(RowsPerStatement))
        {
            statements.Add((sql, bind) => sql
                .Append($"INSERT INTO metric_points (workspace_id, series_id, step, epoch, timestamp, value) SELECT {bind(workspaceId)}, v.* FROM ")
                .Append(statements.Rows(chunk, bind,
                    RowColumn.Of("bigint", (PointInput p) => seriesIds[(p.ExperimentId, p.Metric, p.Variant)]),
                    RowColumn.Of("bigint", (PointInput p) => p.Step),
                    RowColumn.Of("double precision", (PointInput p) => p.Epoch),
                    RowColumn.Of("timestamptz", (PointInput p) => p.Timestamp),
                    RowColumn.Of("double precision", (PointInput p) => p.Value))));
        }
    }

    private async Task InsertEventsAsync(Guid workspaceId, IReadOnlyList<EventInput> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }
        if (await db.TryCopyEventsAsync(workspaceId, events, ct))
        {
            return;
        }
        foreach (var e in events)
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO events (workspace_id, experiment_id, kind, iteration, metric, variant, timestamp, payload) VALUES ({workspaceId}, {e.ExperimentId}, {e.Kind.ToString()}, {e.Iteration}, {e.Metric}, {e.Variant}, {e.Timestamp}, {e.Payload})",
                ct);
        }
    }

    private static void RaiseLastIterations(StatementBatch statements, Guid workspaceId, IReadOnlyList<PointInput> points, IReadOnlyList<EventInput> events)
    {
        var lastByExperiment = points.Select(p => (p.ExperimentId, Step: (long?)p.Step))
            .Concat(events.Select(e => (e.ExperimentId, Step: e.Iteration)))
            .Where(x => x.Step is not null)
            .GroupBy(x => x.ExperimentId, x => x.Step!.Value)
            .Select(g => (Id: g.Key, Last: g.Max()));
        foreach (var chunk in lastByExperiment.Chunk(RowsPerStatement))
        {
            statements.Add((sql, bind) => sql
                .Append("UPDATE experiments SET last_iteration = v.column2 FROM ")
                .Append(statements.Rows(chunk, bind, RowColumn.Of("uuid", ((Guid Id, long Last) e) => e.Id), RowColumn.Of("bigint", ((Guid Id, long Last) e) => e.Last)))
                .Append($" WHERE experiments.id = v.column1 AND experiments.workspace_id = {bind(workspaceId)} AND experiments.last_iteration < v.column2"));
        }
    }

    /// <summary>
    /// Locks the series the points go to, in id order, before any point is written, and proves they all still exist: the
    /// points table has no foreign key (see the PostgreSQL context), so a series deleted since its id was cached must be
    /// caught here. A concurrent delete of a locked series waits for this transaction, then deletes its points too.
    /// </summary>
    private async Task LockSeriesAsync(Guid workspaceId, IReadOnlyList<long> seriesIds, CancellationToken ct)
    {
        foreach (var chunk in seriesIds.Chunk(RowsPerStatement))
        {
            var ids = string.Join(", ", chunk); // numbers of our own, not input
            var sql = $"SELECT id AS \"Value\" FROM metric_series WHERE workspace_id = {{0}} AND id IN ({ids}) ORDER BY id {db.RowUpdateLock}";
            if ((await db.Database.SqlQueryRaw<long>(sql, workspaceId).ToListAsync(ct)).Count != chunk.Length)
            {
                throw new SeriesGone();
            }
        }
    }

    /// <summary>A series a batch names was deleted after its id was cached.</summary>
    private sealed class SeriesGone : Exception;

    /// <summary>
    /// Locks the rows the batch will update, in id order (the caller passes them in the database's order), before any
    /// update: concurrent batches on the same experiments, from any replica, then wait for each other instead of
    /// deadlocking (the series are locked before, by <see cref="LockSeriesAsync"/>).
    /// </summary>
    private void LockInOrder(StatementBatch statements, string table, IEnumerable<object> ids)
    {
        if (db.RowUpdateLock is not { } lockClause)
        {
            return;
        }
        foreach (var chunk in ids.Chunk(RowsPerStatement))
        {
            statements.Add((sql, bind) => sql
                .Append($"SELECT 1 FROM {table} WHERE id IN (").AppendJoin(", ", chunk.Select(bind)).Append($") ORDER BY id {lockClause}"));
        }
    }

    /// <summary>Adds the batch's points to their tier buckets (single values, which are not on the curve, are left out).</summary>
    private static void UpsertTiers(StatementBatch statements, Guid workspaceId, Dictionary<(Guid, string, string), long> seriesIds, IReadOnlyList<PointInput> points)
    {
        var buckets = points.Where(p => p.Step != MetricsReader.SingleValueStep)
            .GroupBy(p => (Series: seriesIds[(p.ExperimentId, p.Metric, p.Variant)], Bucket: MetricTier.BucketOf(p.Step)))
            .Select(g =>
            {
                var first = g.MinBy(p => p.Step)!;
                return new TierRow(g.Key.Series, g.Key.Bucket, g.Count(), g.Sum(p => p.Value), first.Step, first.Timestamp);
            })
            .OrderBy(b => b.Series).ThenBy(b => b.Bucket); // upserts lock rows in this order
        const string Earlier = "excluded.first_step < metric_tiers.first_step";
        foreach (var chunk in buckets.Chunk(RowsPerStatement))
        {
            statements.Add((sql, bind) => sql
                .Append($"INSERT INTO metric_tiers (workspace_id, series_id, bucket, count, sum, first_step, first_timestamp) SELECT {bind(workspaceId)}, v.* FROM ")
                .Append(statements.Rows(chunk, bind,
                    RowColumn.Of("bigint", (TierRow b) => b.Series),
                    RowColumn.Of("bigint", (TierRow b) => b.Bucket),
                    RowColumn.Of("bigint", (TierRow b) => b.Count),
                    RowColumn.Of("double precision", (TierRow b) => b.Sum),
                    RowColumn.Of("bigint", (TierRow b) => b.FirstStep),
                    RowColumn.Of("timestamptz", (TierRow b) => b.FirstTimestamp)))
                .Append(" WHERE true ON CONFLICT (series_id, bucket) DO UPDATE SET count = metric_tiers.count + excluded.count, sum = metric_tiers.sum + excluded.sum, ")
                .Append($"first_step = CASE WHEN {Earlier} THEN excluded.first_step ELSE metric_tiers.first_step END, ")
                .Append($"first_timestamp = CASE WHEN {Earlier} THEN excluded.first_timestamp ELSE metric_tiers.first_timestamp END ")
                .Append("WHERE metric_tiers.workspace_id = excluded.workspace_id"));
        }
    }

    private sealed record TierRow(long Series, long Bucket, long Count, double Sum, long FirstStep, DateTime FirstTimestamp);

    /// <summary>
    /// Adds each series' share of the batch to its running summary. All SET expressions read the row as it was,
    /// so each comparison is against the stored summary; a series with no points yet takes the batch's values.
    /// </summary>
    private static void UpdateSummaries(StatementBatch statements, Guid workspaceId, IEnumerable<IGrouping<long, PointInput>> bySeries)
    {
        const string Fresh = "metric_series.count = 0";
        foreach (var chunk in bySeries.Select(g => BatchSummary.Of(g.Key, g)).Chunk(RowsPerStatement))
        {
            statements.Add((sql, bind) => sql
                .Append("UPDATE metric_series SET ")
                .Append("count = metric_series.count + v.column2, ")
                .Append($"min_value = CASE WHEN {Fresh} OR v.column3 < metric_series.min_value THEN v.column3 ELSE metric_series.min_value END, ")
                .Append($"min_step = CASE WHEN {Fresh} OR v.column3 < metric_series.min_value THEN v.column4 ELSE metric_series.min_step END, ")
                .Append($"min_timestamp = CASE WHEN {Fresh} OR v.column3 < metric_series.min_value THEN v.column10 ELSE metric_series.min_timestamp END, ")
                .Append($"max_value = CASE WHEN {Fresh} OR v.column5 > metric_series.max_value THEN v.column5 ELSE metric_series.max_value END, ")
                .Append($"max_step = CASE WHEN {Fresh} OR v.column5 > metric_series.max_value THEN v.column6 ELSE metric_series.max_step END, ")
                .Append($"max_timestamp = CASE WHEN {Fresh} OR v.column5 > metric_series.max_value THEN v.column11 ELSE metric_series.max_timestamp END, ")
                .Append($"last_value = CASE WHEN {Fresh} OR v.column8 >= metric_series.last_step THEN v.column7 ELSE metric_series.last_value END, ")
                .Append($"last_step = CASE WHEN {Fresh} OR v.column8 >= metric_series.last_step THEN v.column8 ELSE metric_series.last_step END, ")
                .Append($"last_timestamp = CASE WHEN {Fresh} OR v.column8 >= metric_series.last_step THEN v.column9 ELSE metric_series.last_timestamp END ")
                .Append("FROM ")
                .Append(statements.Rows(chunk, bind,
                    RowColumn.Of("bigint", (BatchSummary s) => s.SeriesId),
                    RowColumn.Of("bigint", (BatchSummary s) => s.Count),
                    RowColumn.Of("double precision", (BatchSummary s) => s.MinValue),
                    RowColumn.Of("bigint", (BatchSummary s) => s.MinStep),
                    RowColumn.Of("double precision", (BatchSummary s) => s.MaxValue),
                    RowColumn.Of("bigint", (BatchSummary s) => s.MaxStep),
                    RowColumn.Of("double precision", (BatchSummary s) => s.LastValue),
                    RowColumn.Of("bigint", (BatchSummary s) => s.LastStep),
                    RowColumn.Of("timestamptz", (BatchSummary s) => s.LastTimestamp),
                    RowColumn.Of("timestamptz", (BatchSummary s) => s.MinTimestamp),
                    RowColumn.Of("timestamptz", (BatchSummary s) => s.MaxTimestamp)))
                .Append($" WHERE metric_series.id = v.column1 AND metric_series.workspace_id = {bind(workspaceId)}"));
        }
    }

    /// <summary>One series' share of a batch. "Last" is the point with the highest step, the later one on a tie.</summary>
    private sealed record BatchSummary(
        long SeriesId, long Count, double MinValue, long MinStep, double MaxValue, long MaxStep, double LastValue, long LastStep, DateTime LastTimestamp,
        DateTime MinTimestamp, DateTime MaxTimestamp)
    {
        public static BatchSummary Of(long seriesId, IEnumerable<PointInput> points)
        {
            var list = points.ToList();
            var min = list.MinBy(p => p.Value)!;
            var max = list.MaxBy(p => p.Value)!;
            var last = list.Aggregate((best, p) => p.Step >= best.Step ? p : best);
            return new BatchSummary(
                seriesId, list.Count, min.Value, min.Step, max.Value, max.Step, last.Value, last.Step, last.Timestamp, min.Timestamp, max.Timestamp);
        }
    }
}
