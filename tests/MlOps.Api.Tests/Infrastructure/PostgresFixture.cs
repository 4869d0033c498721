namespace MlOps.Api.Tests.Infrastructure;

/// <summary>One PostgreSQL server and one bootstrapped server for the whole collection; tests keep their data apart by unique names and workspaces.</summary>
public sealed class PostgresFixture : IServerFixture, IAsyncLifetime
{
    private PostgresServer? _server;
    private readonly List<MlOpsFactory> _factories = [];

    public MlOpsFactory Factory { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public PostgresServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        ConnectionString = await _server.CreateDatabaseAsync();
        Factory = NewServerOnSameDatabase();
        _ = Factory.Server;
    }

    /// <summary>Another server process over the same database, as after a restart or on a second replica.</summary>
    public MlOpsFactory NewServerOnSameDatabase(IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "mlops-tests", Guid.NewGuid().ToString("N"));
        var factory = new MlOpsFactory("Postgres", ConnectionString, dataDir, settings);
        _factories.Add(factory);
        return factory;
    }

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
