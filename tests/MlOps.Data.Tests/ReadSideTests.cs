using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Data.Replication;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Data.Tests;

/// <summary>What decides where heavy reads run: what a context has written, and the replica's replay target.</summary>
public sealed class ReadSideTests(DataStore store) : IClassFixture<DataStore>
{
    [Fact]
    public async Task A_context_has_written_after_a_save_a_bulk_update_or_a_transaction_and_not_after_reads()
    {
        var (workspace, _, experiment) = await store.WorkspaceAsync();
        Func<MlOpsDbContext, Task>[] writes =
        [
            async db => { (await db.Experiments.SingleAsync(e => e.Id == experiment)).Comment = "changed"; await db.SaveChangesAsync(); },
            db => db.Experiments.Where(e => e.Id == experiment).ExecuteUpdateAsync(e => e.SetProperty(x => x.Comment, "bulk")),
            async db => { await using var transaction = await db.Database.BeginTransactionAsync(); },
        ];
        foreach (var write in writes)
        {
            await using var db = store.Contexts.For(workspace);
            await db.Experiments.AsNoTracking().ToListAsync();
            Assert.False(db.HasWritten);

            await write(db);

            Assert.True(db.HasWritten);
        }
    }

    [Fact]
    public async Task Without_a_replica_heavy_reads_use_the_requests_own_context_and_repositories()
    {
        var services = new ServiceCollection().AddSingleton<IWorkspaceScope>(FixedWorkspaceScope.None);
        services.AddMlOpsData(DatabaseProvider.Sqlite, "Data Source=:memory:");
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadSide>();

        Assert.Same(scope.ServiceProvider.GetRequiredService<MlOpsDbContext>(), await reads.ContextAsync(CancellationToken.None));
        Assert.Same(scope.ServiceProvider.GetRequiredService<ExperimentRepository>(), await reads.GetAsync<ExperimentRepository>(CancellationToken.None));
    }

    [Theory]
    [InlineData(0x3016048UL, 0x3016048UL)] // inside a page: the end of the last record
    [InlineData(0x3018000UL + 24, 0x3018000UL)] // just past a page's header: the last record ended at the page boundary
    [InlineData(0x3018000UL + 32, 0x3018000UL + 32)] // a record's last 8 bytes continued onto the page
    [InlineData(0x4000000UL + 40, 0x4000000UL)] // just past a segment's first (long) header
    [InlineData(0x4000000UL + 24, 0x4000000UL + 24)]
    public void The_replay_target_is_where_the_last_record_ended(ulong insertPosition, ulong target) =>
        Assert.Equal(target, ReadReplica.ReplayTarget(insertPosition, 8192, 16 * 1024 * 1024));
}
