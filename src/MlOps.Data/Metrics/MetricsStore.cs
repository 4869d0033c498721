using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using Npgsql;
using NpgsqlTypes;

namespace MlOps.Data.Metrics;

public sealed record PointInput(Guid ExperimentId, string Metric, string Variant, long Step, double? Epoch, DateTime Timestamp, double Value);

public sealed record EventInput(Guid ExperimentId, EventKind Kind, long? Iteration, string? Metric, string? Variant, DateTime Timestamp, string Payload);

/// <summary>
/// The reporting hot path: scalar points and non-scalar events of one request are written in one
/// transaction, bypassing the change tracker (binary COPY on PostgreSQL, parameterized inserts on
/// SQLite). Each series' running summary and each experiment's last iteration are updated in the
/// same transaction, so an acknowledged batch is durable with its summaries, or not there at all.
/// </summary>
public sealed class MetricsStore(MlOpsDbContext db, ExperimentRepository experiments)
{
    public async Task AppendAsync(IReadOnlyList<PointInput> points, IReadOnlyList<EventInput> events, CancellationToken ct)
    {
        if (points.Count == 0 && events.Count == 0)
        {
            return;
        }
        var workspaceId = db.ScopeWorkspaceId ?? throw new InvalidOperationException("reports need a workspace scope");
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var seriesIds = await EnsureSeriesAsync(workspaceId, points, ct);
            await InsertPointsAsync(workspaceId, seriesIds, points, ct);
            foreach (var group in points.GroupBy(p => seriesIds[(p.ExperimentId, p.Metric, p.Variant)]))
            {
                await UpdateSummaryAsync(group.Key, BatchSummary.Of(group), ct);
            }
            await InsertEventsAsync(workspaceId, events, ct);
            await UpdateLastIterationsAsync(points, events, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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

    private async Task<Dictionary<(Guid, string, string), long>> EnsureSeriesAsync(
        Guid workspaceId, IReadOnlyList<PointInput> points, CancellationToken ct)
    {
        var keys = points.Select(p => (p.ExperimentId, p.Metric, p.Variant)).Distinct().ToList();
        foreach (var (experimentId, metric, variant) in keys)
        {
            // Insert-if-missing in one statement, so concurrent batches creating the same series both succeed.
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO metric_series (workspace_id, experiment_id, metric, variant, count, last_value, last_step, last_timestamp, min_value, min_step, max_value, max_step)
                VALUES ({workspaceId}, {experimentId}, {metric}, {variant}, 0, 0, 0, {DateTime.UnixEpoch}, 0, 0, 0, 0)
                ON CONFLICT (experiment_id, metric, variant) DO NOTHING
                """, ct);
        }
        var experiments = keys.Select(k => k.ExperimentId).Distinct().ToList();
        var metrics = keys.Select(k => k.Metric).Distinct().ToList();
        var existing = await db.MetricSeries.AsNoTracking()
            .Where(s => experiments.Contains(s.ExperimentId) && metrics.Contains(s.Metric))
            .Select(s => new { s.Id, s.ExperimentId, s.Metric, s.Variant })
            .ToListAsync(ct);
        return existing.ToDictionary(s => (s.ExperimentId, s.Metric, s.Variant), s => s.Id);
    }

    private async Task InsertPointsAsync(
        Guid workspaceId, Dictionary<(Guid, string, string), long> seriesIds, IReadOnlyList<PointInput> points, CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is NpgsqlConnection npgsql)
        {
            await using var writer = await npgsql.BeginBinaryImportAsync(
                "COPY metric_points (workspace_id, series_id, step, epoch, timestamp, value) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var p in points)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(workspaceId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(seriesIds[(p.ExperimentId, p.Metric, p.Variant)], NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(p.Step, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(p.Epoch, NpgsqlDbType.Double, ct);
                await writer.WriteAsync(p.Timestamp, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(p.Value, NpgsqlDbType.Double, ct);
            }
            await writer.CompleteAsync(ct);
            return;
        }
        // SQLite is the embedded path: EF's own parameter mappings keep Guid and DateTime in its stored formats.
        foreach (var p in points)
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO metric_points (workspace_id, series_id, step, epoch, timestamp, value) VALUES ({workspaceId}, {seriesIds[(p.ExperimentId, p.Metric, p.Variant)]}, {p.Step}, {p.Epoch}, {p.Timestamp}, {p.Value})",
                ct);
        }
    }

    private async Task InsertEventsAsync(Guid workspaceId, IReadOnlyList<EventInput> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }
        if (db.Database.GetDbConnection() is NpgsqlConnection npgsql)
        {
            await using var writer = await npgsql.BeginBinaryImportAsync(
                "COPY events (workspace_id, experiment_id, kind, iteration, metric, variant, timestamp, payload) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var e in events)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(workspaceId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(e.ExperimentId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(e.Kind.ToString(), NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(e.Iteration, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(e.Metric, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(e.Variant, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(e.Payload, NpgsqlDbType.Text, ct);
            }
            await writer.CompleteAsync(ct);
            return;
        }
        foreach (var e in events)
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO events (workspace_id, experiment_id, kind, iteration, metric, variant, timestamp, payload) VALUES ({workspaceId}, {e.ExperimentId}, {e.Kind.ToString()}, {e.Iteration}, {e.Metric}, {e.Variant}, {e.Timestamp}, {e.Payload})",
                ct);
        }
    }

    private async Task UpdateLastIterationsAsync(IReadOnlyList<PointInput> points, IReadOnlyList<EventInput> events, CancellationToken ct)
    {
        var lastByExperiment = points.Select(p => (p.ExperimentId, Step: (long?)p.Step))
            .Concat(events.Select(e => (e.ExperimentId, Step: e.Iteration)))
            .Where(x => x.Step is not null)
            .GroupBy(x => x.ExperimentId, x => x.Step!.Value);
        foreach (var group in lastByExperiment)
        {
            await experiments.RaiseLastIterationAsync(group.Key, group.Max(), ct);
        }
    }

    /// <summary>All SET expressions read the row as it was, so each comparison is against the stored summary.</summary>
    private Task<int> UpdateSummaryAsync(long seriesId, BatchSummary batch, CancellationToken ct) =>
        db.MetricSeries.Where(s => s.Id == seriesId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.Count, s => s.Count + batch.Count)
            .SetProperty(s => s.MinValue, s => s.Count == 0 || batch.MinValue < s.MinValue ? batch.MinValue : s.MinValue)
            .SetProperty(s => s.MinStep, s => s.Count == 0 || batch.MinValue < s.MinValue ? batch.MinStep : s.MinStep)
            .SetProperty(s => s.MaxValue, s => s.Count == 0 || batch.MaxValue > s.MaxValue ? batch.MaxValue : s.MaxValue)
            .SetProperty(s => s.MaxStep, s => s.Count == 0 || batch.MaxValue > s.MaxValue ? batch.MaxStep : s.MaxStep)
            .SetProperty(s => s.LastValue, s => s.Count == 0 || batch.LastStep >= s.LastStep ? batch.LastValue : s.LastValue)
            .SetProperty(s => s.LastTimestamp, s => s.Count == 0 || batch.LastStep >= s.LastStep ? batch.LastTimestamp : s.LastTimestamp)
            .SetProperty(s => s.LastStep, s => s.Count == 0 || batch.LastStep >= s.LastStep ? batch.LastStep : s.LastStep), ct);

    /// <summary>One series' share of a batch. "Last" is the point with the highest step, the later one on a tie.</summary>
    private sealed record BatchSummary(
        long Count, double MinValue, long MinStep, double MaxValue, long MaxStep, double LastValue, long LastStep, DateTime LastTimestamp)
    {
        public static BatchSummary Of(IEnumerable<PointInput> points)
        {
            var list = points.ToList();
            var min = list.MinBy(p => p.Value)!;
            var max = list.MaxBy(p => p.Value)!;
            var last = list.Aggregate((best, p) => p.Step >= best.Step ? p : best);
            return new BatchSummary(list.Count, min.Value, min.Step, max.Value, max.Step, last.Value, last.Step, last.Timestamp);
        }
    }
}
