using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the suite, from the first source that works: the connection string in
/// <c>MLOPS_TEST_POSTGRES</c>; a Testcontainers container when a Docker engine answers; a throwaway
/// cluster made with this machine's <c>initdb</c>/<c>pg_ctl</c>. With none of them the run fails.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string EnvironmentVariable = "MLOPS_TEST_POSTGRES";

    private readonly Func<ValueTask> _stop;

    /// <summary>The cluster's files when it is a local one this class started, which a standby can be copied from.</summary>
    private readonly LocalCluster? _local;

    private PostgresServer(string adminConnectionString, Func<ValueTask> stop, LocalCluster? local = null)
    {
        AdminConnectionString = adminConnectionString;
        _stop = stop;
        _local = local;
    }

    public string AdminConnectionString { get; }

    /// <summary>The server's log, for a local cluster (a standby logs every statement it runs).</summary>
    public string? LogFile => _local is null ? null : Path.Combine(_local.Directory, "log");

    public static async Task<PostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresServer(configured, () => ValueTask.CompletedTask);
        }
        if (DockerEngineAnswers())
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            return new PostgresServer(container.GetConnectionString(), container.DisposeAsync);
        }
        return await StartLocalClusterAsync(RequireBinaries(), LocalSettings);
    }

    /// <summary>
    /// A throwaway local cluster that streams its WAL to standbys (<see cref="StartStandbyAsync"/>), whatever source the
    /// suite's server comes from: a standby is copied from its files with this machine's binaries. Commits wait for their WAL
    /// to be written, as in production, so a standby gets a write as soon as it is acknowledged.
    /// </summary>
    public static Task<PostgresServer> StartReplicatedAsync() =>
        StartLocalClusterAsync(RequireBinaries(), "-c fsync=off -c max_connections=200 -c wal_level=replica -c max_wal_senders=4");

    /// <summary>
    /// A hot standby of this cluster (which <see cref="StartReplicatedAsync"/> started): <c>pg_basebackup -R</c> copies it and
    /// configures streaming from it, then the copy starts on its own port. It logs every statement it runs, so a test can
    /// see what was read there.
    /// </summary>
    public async Task<PostgresServer> StartStandbyAsync()
    {
        var primary = _local ?? throw new InvalidOperationException("only a local cluster started by StartReplicatedAsync has a standby");
        var standby = await NewLocalDirectoryAsync(primary.Binaries, primary.AsRoot);
        try
        {
            await RunAsync(Path.Combine(primary.Binaries, "pg_basebackup"),
                $"-D {standby.Data} -h 127.0.0.1 -p {primary.Port} -U postgres -R -X stream --no-sync", primary.AsRoot ? "postgres" : null);
            return await StartAsync(standby, "-c fsync=off -c max_connections=200 -c hot_standby=on -c log_statement=all");
        }
        catch
        {
            Directory.Delete(standby.Directory, recursive: true);
            throw;
        }
    }

    /// <summary>A fresh, empty database on this server.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "mlops_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public ValueTask DisposeAsync() => _stop();

    private static bool DockerEngineAnswers()
    {
        var socket = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host && host.StartsWith("unix://")
            ? host["unix://".Length..]
            : "/var/run/docker.sock";
        if (!File.Exists(socket))
        {
            return false;
        }
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? FindPostgresBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        var found = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        // A PATH entry may hold links to a few of the tools (/usr/local/bin/initdb); the others, pg_basebackup among them, are beside their target.
        return found is null ? null : new FileInfo(Path.Combine(found, "initdb")).ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target.DirectoryName! : found;
    }

    private const string LocalSettings = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";

    private static string RequireBinaries() => FindPostgresBinaries() ?? throw new InvalidOperationException(
        $"No PostgreSQL for the tests: set {EnvironmentVariable}, run a Docker engine, or install PostgreSQL (initdb, pg_ctl).");

    /// <summary>A local cluster's binaries, directory (its data in <c>data</c>, its log and socket beside) and port.</summary>
    private sealed record LocalCluster(string Binaries, string Directory, int Port, bool AsRoot)
    {
        public string Data => Path.Combine(Directory, "data");
    }

    private static async Task<PostgresServer> StartLocalClusterAsync(string binaries, string settings)
    {
        var cluster = await NewLocalDirectoryAsync(binaries, Environment.UserName == "root");
        await RunAsync(Path.Combine(binaries, "initdb"), $"-D {cluster.Data} -U postgres -A trust --no-sync -E UTF8", cluster.AsRoot ? "postgres" : null);
        return await StartAsync(cluster, settings);
    }

    /// <summary>PostgreSQL refuses to run as root, so as root the cluster's directory belongs to the <c>postgres</c> user.</summary>
    private static async Task<LocalCluster> NewLocalDirectoryAsync(string binaries, bool asRoot)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mlops-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (asRoot)
        {
            await RunAsync("chown", $"postgres {directory}", null);
        }
        return new LocalCluster(binaries, directory, FreePort(), asRoot);
    }

    private static async Task<PostgresServer> StartAsync(LocalCluster cluster, string settings)
    {
        var user = cluster.AsRoot ? "postgres" : null;
        var options = $"-p {cluster.Port} -k {cluster.Directory} -c listen_addresses=127.0.0.1 {settings}";
        await RunAsync(Path.Combine(cluster.Binaries, "pg_ctl"), $"-D {cluster.Data} -l {cluster.Directory}/log -w -t 60 -o \"{options}\" start", user);
        var connectionString = $"Host=127.0.0.1;Port={cluster.Port};Username=postgres;Database=postgres;Include Error Detail=true";
        return new PostgresServer(connectionString, async () =>
        {
            await RunAsync(Path.Combine(cluster.Binaries, "pg_ctl"), $"-D {cluster.Data} -m immediate stop", user);
            Directory.Delete(cluster.Directory, recursive: true);
        }, cluster);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string arguments, string? asUser)
    {
        var start = asUser is null
            ? new ProcessStartInfo(program, arguments)
            : new ProcessStartInfo("su", ["-s", "/bin/sh", asUser, "-c", $"{program} {arguments}"]);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
