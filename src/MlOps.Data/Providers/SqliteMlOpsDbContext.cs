using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Data;

/// <summary>The embedded database: timestamps kept as UTC text, WAL journaling, inserts for bulk writes.</summary>
public sealed class SqliteMlOpsDbContext(DbContextOptions<SqliteMlOpsDbContext> options, IWorkspaceScope scope)
    : MlOpsDbContext(options, scope)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>WAL lets readers proceed while a writer commits; the setting persists in the file.</summary>
    public override async Task PrepareAsync(CancellationToken ct)
    {
        await Database.OpenConnectionAsync(ct);
        await Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    public override string? RowUpdateLock => null;

    public override string ClaimRowsLock => "";

    /// <summary>One process owns an embedded database file; there is no one to take turns with.</summary>
    public override Task<IAsyncDisposable> LockStartupAsync(CancellationToken ct) => Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public override bool IsForeignKeyViolation(Exception e) =>
        (e as SqliteException ?? e.InnerException as SqliteException) is { SqliteExtendedErrorCode: 787 };

    /// <summary>SQLite stores whatever it is given; values it cannot store are refused before they reach it.</summary>
    public override DomainException? RefusedValue(Exception e) => null;

    public override Task<bool> TryCopyPointsAsync(Guid workspaceId, IReadOnlyList<PointInput> points, Func<PointInput, long> seriesOf, CancellationToken ct) =>
        Task.FromResult(false);

    public override Task<bool> TryCopyEventsAsync(Guid workspaceId, IReadOnlyList<EventInput> events, CancellationToken ct) => Task.FromResult(false);

    public override Task KeepPointsAsync(PointKeeping keeping, CancellationToken ct) => PointMarks.KeepAsync(this, keeping, ct);

    /// <summary>SQLite keeps timestamps as text without a zone; every timestamp in the model is UTC.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        value => value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
