using System.Diagnostics;
using System.Globalization;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// Debian's haproxy in front of server processes: HTTP, round robin per request, a replica taken out of the rotation
/// when <c>/health/ready</c> fails twice (checked every half second) and put back when it answers again.
/// </summary>
public sealed class Haproxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private Haproxy(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public static async Task<Haproxy> StartAsync(IEnumerable<int> backendPorts)
    {
        var binary = new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed (Debian: apt-get install haproxy; .ci/run installs it)");
        var directory = Path.Combine(Path.GetTempPath(), "mlops-haproxy-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var port = ServerProcess.FreePort();
        var servers = backendPorts.Select((p, i) => string.Create(CultureInfo.InvariantCulture,
            $"  server replica{i} 127.0.0.1:{p} check inter 500ms fall 2 rise 1"));
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllLinesAsync(config,
        [
            "global", "  maxconn 2048",
            "defaults", "  mode http", "  timeout connect 2s", "  timeout client 120s", "  timeout server 120s", "  retries 2", "  option redispatch",
            "frontend mlops", $"  bind 127.0.0.1:{port}", "  default_backend replicas",
            "backend replicas", "  balance roundrobin", "  option httpchk GET /health/ready", "  http-check expect status 200",
            .. servers,
        ]);
        var process = Process.Start(new ProcessStartInfo(binary, ["-db", "-f", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var haproxy = new Haproxy(process, directory, port);
        using var http = new HttpClient { BaseAddress = haproxy.Address, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return haproxy;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (process.HasExited)
            {
                break;
            }
            await Task.Delay(200);
        }
        await haproxy.DisposeAsync();
        throw new InvalidOperationException("haproxy did not start passing requests to the replicas");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
