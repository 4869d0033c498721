using Npgsql;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL primary with a streaming replica made by <c>pg_basebackup</c>, started once for a test class, and a server
/// whose heavy reads go to the replica. The replica logs every statement, so a test can tell what was read there.
/// </summary>
public sealed class ReadReplicaFixture : IAsyncLifetime
{
    private readonly List<MlOpsFactory> _servers = [];
    private PostgresServer? _primary;
    private PostgresServer? _standby;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The same database on the replica.</summary>
    public string ReplicaConnectionString { get; private set; } = "";

    /// <summary>A server reading from the replica, waiting up to 2 s for it (this machine's cores are shared).</summary>
    public MlOpsFactory Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _primary = await PostgresServer.StartReplicatedAsync();
        _standby = await _primary.StartStandbyAsync();
        ConnectionString = await _primary.CreateDatabaseAsync();
        ReplicaConnectionString = new NpgsqlConnectionStringBuilder(_standby.AdminConnectionString)
        {
            Database = new NpgsqlConnectionStringBuilder(ConnectionString).Database,
        }.ConnectionString;
        Server = NewServer(ReplicaConnectionString, waitMilliseconds: 2000);
        _ = Server.Server;
    }

    /// <summary>Another server process on the same primary, reading from <paramref name="replica"/> (the default wait unless given).</summary>
    public MlOpsFactory NewServer(string replica, int? waitMilliseconds = null)
    {
        var settings = new Dictionary<string, string> { ["ConnectionStrings:MlOpsReadOnly"] = replica };
        if (waitMilliseconds is { } wait)
        {
            settings["MlOps:Database:ReplicaWaitMilliseconds"] = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var server = new MlOpsFactory("Postgres", ConnectionString, Path.Combine(Path.GetTempPath(), "mlops-tests", Guid.NewGuid().ToString("N")), settings);
        _servers.Add(server);
        return server;
    }

    /// <summary>Waits until the replica has replayed everything the primary has written.</summary>
    public async Task WaitForReplayAsync()
    {
        var written = await ScalarAsync<NpgsqlTypes.NpgsqlLogSequenceNumber>(_primary!.AdminConnectionString, "SELECT pg_current_wal_lsn()");
        for (var tries = 0; tries < 200; tries++)
        {
            if (await ScalarAsync<NpgsqlTypes.NpgsqlLogSequenceNumber>(_standby!.AdminConnectionString, "SELECT pg_last_wal_replay_lsn()") >= written)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("the replica did not replay the primary's WAL within 10 s");
    }

    /// <summary>Stops applying WAL on the replica (it keeps receiving it) until <see cref="ResumeReplayAsync"/>.</summary>
    public Task PauseReplayAsync() => ScalarAsync<object>(_standby!.AdminConnectionString, "SELECT pg_wal_replay_pause()");

    public Task ResumeReplayAsync() => ScalarAsync<object>(_standby!.AdminConnectionString, "SELECT pg_wal_replay_resume()");

    /// <summary>Where the replica's statement log ends now.</summary>
    public long ReplicaLogLength => new FileInfo(_standby!.LogFile!).Length;

    /// <summary>The statements the replica logged since <paramref name="offset"/>.</summary>
    public async Task<string> ReplicaLogSinceAsync(long offset)
    {
        await using var log = new FileStream(_standby!.LogFile!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        log.Seek(offset, SeekOrigin.Begin);
        return await new StreamReader(log).ReadToEndAsync();
    }

    /// <summary>The id of the named workspace, as PostgreSQL prints a uuid in its log.</summary>
    public Task<Guid> WorkspaceIdAsync(string name) =>
        ScalarAsync<Guid>(ConnectionString, "SELECT id FROM workspaces WHERE name = @name", ("name", name));

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
        if (_standby is not null)
        {
            await _standby.DisposeAsync();
        }
        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }
    }
}
