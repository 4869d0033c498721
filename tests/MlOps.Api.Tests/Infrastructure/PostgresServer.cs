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

    private PostgresServer(string adminConnectionString, Func<ValueTask> stop)
    {
        AdminConnectionString = adminConnectionString;
        _stop = stop;
    }

    public string AdminConnectionString { get; }

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
        var binaries = FindPostgresBinaries() ?? throw new InvalidOperationException(
            $"No PostgreSQL for the tests: set {EnvironmentVariable}, run a Docker engine, or install PostgreSQL (initdb, pg_ctl).");
        return await StartLocalClusterAsync(binaries);
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
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>PostgreSQL refuses to run as root, so as root the cluster belongs to the <c>postgres</c> user.</summary>
    private static async Task<PostgresServer> StartLocalClusterAsync(string binaries)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mlops-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"postgres {directory}", null);
        }
        var data = Path.Combine(directory, "data");
        var port = FreePort();
        await RunAsync(Path.Combine(binaries, "initdb"), $"-D {data} -U postgres -A trust --no-sync -E UTF8", asRoot ? "postgres" : null);
        var settings = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await RunAsync(Path.Combine(binaries, "pg_ctl"), $"-D {data} -l {directory}/log -w -t 60 -o \"{settings}\" start", asRoot ? "postgres" : null);
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Include Error Detail=true";
        return new PostgresServer(connectionString, async () =>
        {
            await RunAsync(Path.Combine(binaries, "pg_ctl"), $"-D {data} -m immediate stop", asRoot ? "postgres" : null);
            Directory.Delete(directory, recursive: true);
        });
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
