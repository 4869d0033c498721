using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Platform;

/// <summary>
/// Keeps the statistics going and bounded, on any replica (both jobs are idempotent): every minute each queue of every
/// workspace that has not been sampled for <see cref="StatisticsOptions.QueueSampleSeconds"/> is sampled (a task waiting
/// in an unchanged queue waits longer), and hourly the readings and samples past the retention period are deleted.
/// </summary>
public sealed class StatisticsUpkeep(
    WorkspaceContextFactory contexts, IOptions<MlOpsOptions> options, TimeProvider clock, ILogger<StatisticsUpkeep> log) : BackgroundService
{
    private StatisticsOptions Settings => options.Value.Statistics;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        var nextExpiry = DateTimeOffset.MinValue;
        do
        {
            try
            {
                if (Settings.QueueSampleSeconds > 0)
                {
                    await SampleQuietQueuesAsync(TimeSpan.FromSeconds(Settings.QueueSampleSeconds), stoppingToken);
                }
                if (clock.GetUtcNow() >= nextExpiry)
                {
                    await DeleteExpiredAsync(stoppingToken);
                    nextExpiry = clock.GetUtcNow().AddHours(1);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Statistics upkeep failed; trying again in a minute");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Samples, in its own workspace, each queue whose latest sample is older than <paramref name="quiet"/> (or that has none).</summary>
    public async Task SampleQuietQueuesAsync(TimeSpan quiet, CancellationToken ct)
    {
        var before = (clock.GetUtcNow() - quiet).ToUnixTimeMilliseconds();
        List<(Guid WorkspaceId, Guid QueueId)> quietQueues;
        await using (var all = contexts.For(null))
        {
            var rows = await all.Queues.IgnoreQueryFilters()
                .Where(q => !all.QueueMetrics.IgnoreQueryFilters().Any(m => m.QueueId == q.Id && m.Timestamp > before))
                .Select(q => new { q.WorkspaceId, q.Id }).ToListAsync(ct);
            quietQueues = [.. rows.Select(r => (r.WorkspaceId, r.Id))];
        }
        foreach (var workspace in quietQueues.GroupBy(q => q.WorkspaceId))
        {
            await using var db = contexts.For(workspace.Key);
            await new QueueMetricsRepository(db, clock).RecordAsync([.. workspace.Select(q => q.QueueId)], ct);
        }
    }

    /// <summary>Deletes, in every workspace, worker readings, queue samples and serving samples older than the retention period, and serving containers long gone.</summary>
    public async Task DeleteExpiredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var before = (now - TimeSpan.FromDays(Settings.RetentionDays)).ToUnixTimeMilliseconds();
        await using var db = contexts.For(null);
        await db.WorkerStats.IgnoreQueryFilters().Where(s => s.Timestamp < before).ExecuteDeleteAsync(ct);
        await db.QueueMetrics.IgnoreQueryFilters().Where(s => s.Timestamp < before).ExecuteDeleteAsync(ct);
        await db.ServingSamples.IgnoreQueryFilters().Where(s => s.Timestamp < before).ExecuteDeleteAsync(ct);
        var gone = now.UtcDateTime.AddDays(-1);
        await db.ServingContainers.IgnoreQueryFilters().Where(c => c.ExpiresAt < gone).ExecuteDeleteAsync(ct);
    }
}
