namespace MlOps.Api.Tests.Infrastructure;

/// <summary>A server whose blobs are in a bucket of its own on the shared <see cref="S3Gateway"/>.</summary>
public interface IS3ServerFixture : IServerFixture
{
    S3Gateway Gateway { get; }

    string Bucket { get; }
}

/// <summary>One PostgreSQL database and one server storing blobs in S3 for the whole collection; more servers can share both.</summary>
public sealed class S3PostgresFixture : IS3ServerFixture, IAsyncLifetime
{
    private PostgresServer? _server;
    private readonly List<MlOpsFactory> _factories = [];
    private string _connectionString = "";

    public MlOpsFactory Factory { get; private set; } = null!;

    public S3Gateway Gateway { get; private set; } = null!;

    public string Bucket { get; } = S3Gateway.NewBucketName();

    public async Task InitializeAsync()
    {
        Gateway = await S3Gateway.SharedAsync();
        _server = await PostgresServer.StartAsync();
        _connectionString = await _server.CreateDatabaseAsync();
        Factory = NewServer(Bucket);
        _ = Factory.Server;
    }

    /// <summary>Another replica: same database, its own data directory, blobs in <paramref name="bucket"/>.</summary>
    public MlOpsFactory NewServer(string bucket, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = Gateway.ServerSettings(bucket);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        var factory = new MlOpsFactory("Postgres", _connectionString, Path.Combine(Path.GetTempPath(), "mlops-tests", Guid.NewGuid().ToString("N")), all);
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

/// <summary>One server on a fresh SQLite file storing blobs in S3 for the whole collection.</summary>
public sealed class S3SqliteFixture : IS3ServerFixture, IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "mlops-sqlite-" + Guid.NewGuid().ToString("N"));

    public MlOpsFactory Factory { get; private set; } = null!;

    public S3Gateway Gateway { get; private set; } = null!;

    public string Bucket { get; } = S3Gateway.NewBucketName();

    public async Task InitializeAsync()
    {
        Gateway = await S3Gateway.SharedAsync();
        Factory = new MlOpsFactory("Sqlite", "", _dataDir, Gateway.ServerSettings(Bucket));
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class S3PostgresCollection : ICollectionFixture<S3PostgresFixture>
{
    public const string Name = "PostgreSQL with S3 blobs";
}

[CollectionDefinition(Name)]
public sealed class S3SqliteCollection : ICollectionFixture<S3SqliteFixture>
{
    public const string Name = "SQLite with S3 blobs";
}
