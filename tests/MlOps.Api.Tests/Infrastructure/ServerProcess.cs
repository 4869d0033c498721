using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// The server as its own OS process (the built MlOps.Api.dll), so a test can kill it with SIGKILL and start it again
/// over the same database and data directory.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    public ServerProcess(string provider, string connectionString, string dataDir, IReadOnlyDictionary<string, string>? settings = null)
    {
        Port = FreePort();
        _settings = new Dictionary<string, string>
        {
            ["MlOps__Database__Provider"] = provider,
            ["ConnectionStrings__MlOps"] = connectionString,
            ["MlOps__DataDir"] = dataDir,
            ["MlOps__Bootstrap__AccessKey"] = MlOpsFactory.AccessKey,
            ["MlOps__Bootstrap__SecretKey"] = MlOpsFactory.SecretKey,
            ["MlOps__Bootstrap__ApiKey"] = MlOpsFactory.ApiKey,
            ["MlOps__Bootstrap__AdminPassword"] = "admin-password",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>Everything the process wrote to stdout and stderr (its console log).</summary>
    public string Output => string.Join("\n", _output);

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public async Task StartAsync()
    {
        var dll = ServerDll();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _process.ErrorDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 360 && !_process.HasExited; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(500);
        }
        var output = _output.ToList();
        throw new InvalidOperationException(
            $"the server process {(_process.HasExited ? $"exited ({_process.ExitCode})" : "did not become ready")}; it wrote:\n"
            + string.Join("\n", output.Take(40).Concat(output.Count > 100 ? ["..."] : []).Concat(output.Skip(Math.Max(40, output.Count - 60)))));
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, in-flight requests cut.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as a service manager stops it; returns the exit code once the process has ended.</summary>
    public async Task<int> TerminateAsync(TimeSpan patience)
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(patience);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port free now and not handed out before in this run: the kernel may offer a port just released again, and two
    /// servers (or a server's two listeners) given the same one would fail to bind.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>The server built beside these tests (same configuration), found from the repository root.</summary>
    private static string ServerDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MlOps.sln")))
        {
            directory = directory.Parent;
        }
        var dll = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"),
            "src", "MlOps.Api", "bin", configuration, "net10.0", "MlOps.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build the server first", dll);
    }
}
