using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Data.Metrics;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Platform;

/// <summary>
/// Keeps the points table ahead of ingest and within <see cref="MetricsOptions.RetentionDays"/>, at start-up and every
/// <see cref="Interval"/> on every replica (the database lets one at a time do it). At 200,000 points a second a
/// partition of the default 10,000,000 ids lasts 50 s, and two are kept ahead.
/// </summary>
public sealed class PointUpkeep(WorkspaceContextFactory contexts, IOptions<MlOpsOptions> options, TimeProvider clock, ILogger<PointUpkeep> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private MetricsOptions Settings => options.Value.Metrics;

    /// <summary>Passes of one process never overlap (the timer's, start-up's, a test's); replicas take turns in the database.</summary>
    private readonly SemaphoreSlim _pass = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TryRunAsync(stoppingToken);
        }
    }

    /// <summary>A pass that fails is only logged: the DEFAULT partition takes the points meanwhile, and the next pass comes soon.</summary>
    public async Task TryRunAsync(CancellationToken ct)
    {
        try
        {
            await RunAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Metric points upkeep failed; trying again in {Interval}", Interval);
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expiredBefore = Settings.RetentionDays > 0 ? now.AddDays(-Settings.RetentionDays) : (DateTime?)null;
        await _pass.WaitAsync(ct);
        try
        {
            await using var db = contexts.For(null);
            await db.KeepPointsAsync(new PointKeeping(Settings.PartitionRows, now, expiredBefore), ct);
        }
        finally
        {
            _pass.Release();
        }
    }
}
