namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// Replicas as users run them: PostgreSQL with a streaming read replica, three server processes started together on
/// its empty database (each with its own data directory, heavy reads on the read replica, blobs in one bucket on the
/// Ceph gateway), and haproxy in front. The factory's clients go
/// through haproxy, so a suite written for one server runs through the balancer unchanged; the in-process server
/// behind the factory (same database and bucket) only makes tenants.
/// </summary>
public sealed class ClusterFixture : IS3ServerFixture, IAsyncLifetime
{
    public const int ReplicaCount = 3;

    private PostgresServer? _postgres;
    private PostgresServer? _standby;
    private Haproxy? _balancer;
    private readonly List<ServerProcess> _replicas = [];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mlops-cluster-" + Guid.NewGuid().ToString("N")[..12]);

    public MlOpsFactory Factory { get; private set; } = null!;

    public S3Gateway Gateway { get; private set; } = null!;

    public string Bucket { get; } = S3Gateway.NewBucketName();

    public IReadOnlyList<ServerProcess> Replicas => _replicas;

    public Uri Balancer => _balancer!.Address;

    public async Task InitializeAsync()
    {
        var gateway = S3Gateway.SharedAsync();
        _postgres = await PostgresServer.StartReplicatedAsync();
        _standby = await _postgres.StartStandbyAsync();
        var connectionString = await _postgres.CreateDatabaseAsync();
        var readOnly = new Npgsql.NpgsqlConnectionStringBuilder(_standby.AdminConnectionString)
        {
            Database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database,
        }.ConnectionString;
        Gateway = await gateway;
        var blobs = Gateway.ServerSettings(Bucket);
        var environment = blobs.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["ConnectionStrings__MlOpsReadOnly"] = readOnly;
        _replicas.AddRange(Enumerable.Range(0, ReplicaCount)
            .Select(i => new ServerProcess("Postgres", connectionString, Path.Combine(_root, $"replica{i}"), environment)));
        await Task.WhenAll(_replicas.Select(r => r.StartAsync()));
        _balancer = await Haproxy.StartAsync(_replicas.Select(r => r.Port));
        Factory = new MlOpsFactory("Postgres", connectionString, Path.Combine(_root, "admin"), blobs) { ClientsGoTo = Balancer };
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        if (_balancer is not null)
        {
            await _balancer.DisposeAsync();
        }
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
        if (_standby is not null)
        {
            await _standby.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Three replicas behind haproxy";
}
