using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Data.Tests;

/// <summary>The ingest hot path: running summaries exact across batches, isolation kept around the tenant filter, group commit.</summary>
public sealed class IngestTests : IClassFixture<DataStore>
{
    private readonly DataStore _store;

    public IngestTests(DataStore store) => _store = store;

    private static PointInput Point(Guid experiment, long step, double value) =>
        new(experiment, "loss", "train", step, null, DateTime.UnixEpoch.AddSeconds(step), value);

    [Fact]
    public async Task Series_summaries_stay_exact_across_batches_in_any_order()
    {
        var (workspace, _, experiment) = await _store.WorkspaceAsync();
        var cache = _store.Services.GetRequiredService<SeriesIdCache>();
        foreach (var batch in new[] { new[] { (5L, 0.5), (6L, 0.4) }, [(1L, 0.9), (2L, 0.1)], [(10L, 0.3)] })
        {
            await using var db = _store.Contexts.For(workspace);
            await new MetricsStore(db, cache, TimeProvider.System).AppendAsync([.. batch.Select(p => Point(experiment, p.Item1, p.Item2))], [], CancellationToken.None);
        }

        await using var check = _store.Contexts.For(workspace);
        var series = await check.MetricSeries.AsNoTracking().SingleAsync(s => s.ExperimentId == experiment);
        Assert.Equal((5, 0.1, 2L, 0.9, 1L, 0.3, 10L), (series.Count, series.MinValue, series.MinStep, series.MaxValue, series.MaxStep, series.LastValue, series.LastStep));
        Assert.Equal(10, (await check.Experiments.AsNoTracking().SingleAsync(e => e.Id == experiment)).LastIteration);
    }

    [Fact]
    public async Task A_batch_naming_another_workspaces_experiment_writes_nothing()
    {
        var (_, _, theirs) = await _store.WorkspaceAsync();
        var (mine, _, own) = await _store.WorkspaceAsync();
        await using var db = _store.Contexts.For(mine);

        var refused = await Assert.ThrowsAsync<DomainException>(() => new MetricsStore(db, _store.Services.GetRequiredService<SeriesIdCache>(), TimeProvider.System)
            .AppendAsync([Point(own, 1, 1.0), Point(theirs, 1, 2.0)], [], CancellationToken.None));

        Assert.Equal(DomainError.NotFound, refused.Error);
        await using var check = _store.Contexts.For(null);
        Assert.Equal(0, await check.MetricSeries.IgnoreQueryFilters().CountAsync(s => s.ExperimentId == theirs || s.ExperimentId == own));
    }

    [Fact]
    public async Task The_point_batcher_commits_each_point_once_and_fails_only_the_foreign_ones()
    {
        var (_, _, theirs) = await _store.WorkspaceAsync();
        var (mine, _, own) = await _store.WorkspaceAsync();
        var batcher = _store.Services.GetRequiredService<PointBatcher>();

        var writes = Enumerable.Range(0, 40).Select(i => (Foreign: i % 4 == 0, Task: batcher.AppendAsync(mine, Point(i % 4 == 0 ? theirs : own, i, i), CancellationToken.None))).ToList();
        foreach (var (foreign, write) in writes)
        {
            if (foreign)
            {
                Assert.Equal(DomainError.NotFound, (await Assert.ThrowsAsync<DomainException>(() => write)).Error);
            }
            else
            {
                await write;
            }
        }

        await using var check = _store.Contexts.For(mine);
        Assert.Equal(30, await check.MetricPoints.CountAsync());
    }
}
