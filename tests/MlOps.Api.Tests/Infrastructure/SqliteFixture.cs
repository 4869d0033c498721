namespace MlOps.Api.Tests.Infrastructure;

/// <summary>What a surface's tests need: a running server. Suites that must hold on both databases take this.</summary>
public interface IServerFixture
{
    MlOpsFactory Factory { get; }
}

/// <summary>One server on the embedded SQLite default (a fresh data directory) for the whole collection.</summary>
public sealed class SqliteFixture : IServerFixture, IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "mlops-sqlite-" + Guid.NewGuid().ToString("N"));

    public MlOpsFactory Factory { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Factory = new MlOpsFactory("Sqlite", "", _dataDir);
        _ = Factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteFixture>
{
    public const string Name = "SQLite";
}
