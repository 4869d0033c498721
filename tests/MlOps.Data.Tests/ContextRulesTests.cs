using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Events;
using MlOps.Data.Repositories;

namespace MlOps.Data.Tests;

/// <summary>The rules the context enforces for every write path: tenancy, versions, bad text, domain events.</summary>
public sealed class ContextRulesTests : IClassFixture<DataStore>
{
    private readonly DataStore _store;

    public ContextRulesTests(DataStore store) => _store = store;

    [Fact]
    public async Task A_context_of_one_workspace_neither_sees_nor_writes_anothers_rows()
    {
        var (_, _, theirs) = await _store.WorkspaceAsync();
        var (mine, _, _) = await _store.WorkspaceAsync();
        await using var db = _store.Contexts.For(mine);

        Assert.Null(await db.Experiments.SingleOrDefaultAsync(e => e.Id == theirs));
        db.Experiments.Attach(new Experiment { Id = theirs, Name = "stolen", Type = "training", WorkspaceId = Guid.NewGuid() }).State = EntityState.Modified;
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_write_computed_from_a_stale_read_fails_instead_of_overwriting()
    {
        var (workspace, _, experiment) = await _store.WorkspaceAsync();
        await using var first = _store.Contexts.For(workspace);
        await using var second = _store.Contexts.For(workspace);
        var seenByFirst = await first.Experiments.AsNoTracking().SingleAsync(e => e.Id == experiment);
        var seenBySecond = await second.Experiments.AsNoTracking().SingleAsync(e => e.Id == experiment);

        var one = await first.Experiments.SingleAsync(e => e.Id == experiment);
        one.Comment = seenByFirst.Comment + "first";
        await first.SaveChangesAsync();
        var two = await second.Experiments.SingleAsync(e => e.Id == experiment);
        two.Comment = seenBySecond.Comment + "second";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = _store.Contexts.For(workspace);
        var stored = await check.Experiments.AsNoTracking().SingleAsync(e => e.Id == experiment);
        Assert.Equal("first", stored.Comment);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Text_holding_a_NUL_or_longer_than_its_column_is_refused_on_save()
    {
        var (workspace, _, _) = await _store.WorkspaceAsync();
        await using var db = _store.Contexts.For(workspace);
        db.Projects.Add(new Project { Name = "with\0nul" });
        var nul = await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());
        Assert.Equal(DomainError.InvalidInput, nul.Error);

        db.ChangeTracker.Clear();
        db.Experiments.Add(new Experiment { Name = "run", Type = new string('t', 500) });
        Assert.Equal(DomainError.InvalidInput, (await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync())).Error);
    }

    [Fact]
    public async Task A_registry_stage_change_is_published_once_committed_whichever_code_made_it()
    {
        var (workspace, _, _) = await _store.WorkspaceAsync();
        await using var db = _store.Contexts.For(workspace);
        var model = new RegisteredModel { Name = "net-" + Guid.NewGuid().ToString("N")[..6] };
        db.RegisteredModels.Add(model);
        var version = new RegisteredModelVersion { RegisteredModelId = model.Id, Version = "1.0.0" };
        db.RegisteredModelVersions.Add(version);
        await db.SaveChangesAsync();
        Assert.DoesNotContain(_store.Published, e => e is RegistryStageChanged c && c.RegisteredModelId == model.Id);

        version.Stages = ["production"];
        await db.SaveChangesAsync();

        var change = Assert.Single(_store.Published.OfType<RegistryStageChanged>(), c => c.RegisteredModelId == model.Id);
        Assert.Equal(workspace, change.WorkspaceId);
        Assert.Equal(["production"], change.After);
        Assert.Empty(change.Before);
    }
}
