using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace MlOps.Data.Metrics;

public sealed record PointInput(string Metric, string Variant, long Step, double? Epoch, DateTime Timestamp, double Value);

/// <summary>
/// The time-series hot path. Points bypass the change tracker (binary COPY on PostgreSQL, one
/// prepared statement on SQLite); each series' running summary is updated in the same
/// transaction, so an acknowledged batch is durable with its summary, or not at all.
/// </summary>
public sealed class MetricsStore(MlOpsDbContext db)
{
    public async Task AppendAsync(Guid experimentId, IReadOnlyList<PointInput> points, CancellationToken ct)
    {
        if (points.Count == 0)
        {
            return;
        }
        var workspaceId = db.ScopeWorkspaceId ?? throw new InvalidOperationException("metrics need a workspace scope");
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var seriesIds = await EnsureSeriesAsync(workspaceId, experimentId, points, ct);
            await InsertPointsAsync(workspaceId, seriesIds, points, ct);
            foreach (var group in points.GroupBy(p => seriesIds[(p.Metric, p.Variant)]))
            {
                await UpdateSummaryAsync(group.Key, BatchSummary.Of(group), ct);
            }
            var lastStep = points.Max(p => p.Step);
            await db.Experiments.Where(e => e.Id == experimentId && e.LastIteration < lastStep)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LastIteration, lastStep), ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task<List<MetricSeries>> SummariesAsync(IReadOnlyCollection<Guid> experimentIds, CancellationToken ct) =>
        db.MetricSeries.AsNoTracking().Where(s => experimentIds.Contains(s.ExperimentId)).ToListAsync(ct);

    private async Task<Dictionary<(string, string), long>> EnsureSeriesAsync(
        Guid workspaceId, Guid experimentId, IReadOnlyList<PointInput> points, CancellationToken ct)
    {
        var keys = points.Select(p => (p.Metric, p.Variant)).Distinct().ToList();
        foreach (var (metric, variant) in keys)
        {
            // Insert-if-missing in one statement, so concurrent batches creating the same series both succeed.
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO metric_series (workspace_id, experiment_id, metric, variant, count, last_value, last_step, last_timestamp, min_value, min_step, max_value, max_step)
                VALUES ({workspaceId}, {experimentId}, {metric}, {variant}, 0, 0, 0, {DateTime.UnixEpoch}, 0, 0, 0, 0)
                ON CONFLICT (experiment_id, metric, variant) DO NOTHING
                """, ct);
        }
        var metrics = keys.Select(k => k.Metric).Distinct().ToList();
        var existing = await db.MetricSeries.AsNoTracking()
            .Where(s => s.ExperimentId == experimentId && metrics.Contains(s.Metric))
            .Select(s => new { s.Id, s.Metric, s.Variant })
            .ToListAsync(ct);
        return existing.ToDictionary(s => (s.Metric, s.Variant), s => s.Id);
    }

    private async Task InsertPointsAsync(
        Guid workspaceId, Dictionary<(string, string), long> seriesIds, IReadOnlyList<PointInput> points,
        CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection npgsql)
        {
            await using var writer = await npgsql.BeginBinaryImportAsync(
                "COPY metric_points (workspace_id, series_id, step, epoch, timestamp, value) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var point in points)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(workspaceId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(seriesIds[(point.Metric, point.Variant)], NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(point.Step, NpgsqlDbType.Bigint, ct);
                if (point.Epoch is { } epochValue)
                {
                    await writer.WriteAsync(epochValue, NpgsqlDbType.Double, ct);
                }
                else
                {
                    await writer.WriteNullAsync(ct);
                }
                await writer.WriteAsync(point.Timestamp, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(point.Value, NpgsqlDbType.Double, ct);
            }
            await writer.CompleteAsync(ct);
            return;
        }
        // SQLite is the embedded path: EF's own parameter mappings keep Guid and DateTime in its stored formats.
        foreach (var point in points)
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO metric_points (workspace_id, series_id, step, epoch, timestamp, value) VALUES ({workspaceId}, {seriesIds[(point.Metric, point.Variant)]}, {point.Step}, {point.Epoch}, {point.Timestamp}, {point.Value})",
                ct);
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
