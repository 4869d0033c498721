using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// The server process is killed with SIGKILL (or stopped with SIGTERM) while batch writers (ClearML <c>events.add_batch</c>),
/// single-point writers (Comet's metric endpoint) and uploaders run; after a restart every point that got a 2xx is there
/// exactly once, every acknowledged file reads back whole, and no file is served partially. A SIGTERM also ends the process
/// cleanly, after draining what was in flight.
/// </summary>
public abstract class CrashDurabilityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int BatchSize = 200;

    protected abstract Task<(string Provider, string ConnectionString)> DatabaseAsync();

    [Fact]
    public Task Everything_acknowledged_before_a_SIGKILL_is_there_exactly_once_after_a_restart() => StopUnderLoadAsync(server => server.KillAsync());

    [Fact]
    public Task A_SIGTERM_drains_in_flight_work_and_exits_cleanly() => StopUnderLoadAsync(async server =>
        Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(60))));

    private async Task StopUnderLoadAsync(Func<ServerProcess, Task> stopServer)
    {
        var (provider, connectionString) = await DatabaseAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "mlops-crash-" + Guid.NewGuid().ToString("N"));
        await using var server = new ServerProcess(provider, connectionString, dataDir);
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clearMl = await new ClearMlClient(http).LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var task = await clearMl.CreateTaskAsync(await clearMl.CreateProjectAsync("crash"), "under fire");
        (await clearMl.CallAsync("tasks.started", new { task })).Ok();

        var batches = new ConcurrentDictionary<string, ConcurrentBag<long>>();
        var singles = new ConcurrentBag<long>();
        var files = new ConcurrentDictionary<string, (byte[] Bytes, bool Acknowledged)>();
        using var stop = new CancellationTokenSource();
        var writers = new List<Task>
        {
            BatchWriterAsync(http, clearMl.Token!, task, "w0", batches.GetOrAdd("w0", _ => []), stop.Token),
            BatchWriterAsync(http, clearMl.Token!, task, "w1", batches.GetOrAdd("w1", _ => []), stop.Token),
            SingleWriterAsync(http, task, 0, singles, stop.Token),
            SingleWriterAsync(http, task, 1, singles, stop.Token),
            UploaderAsync(http, clearMl.Token!, files, stop.Token),
        };
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stopServer(server);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(batches.Values.Sum(b => b.Count) > 0 && !singles.IsEmpty && files.Values.Any(f => f.Acknowledged),
            "the writers got nothing acknowledged before the stop");
        output.WriteLine($"acknowledged before the stop: {batches.Values.Sum(b => b.Count)} batch points, {singles.Count} single points, " +
            $"{files.Values.Count(f => f.Acknowledged)} of {files.Count} files");

        await server.StartAsync();
        using var after = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var reader = await new ClearMlClient(after).LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var stored = await StoredStepsAsync(reader, task, "batch");
        foreach (var (variant, acknowledged) in batches)
        {
            var steps = stored.GetValueOrDefault(variant) ?? [];
            Assert.Empty(steps.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key));
            Assert.Empty(acknowledged.Except(steps));
        }
        var single = (await StoredStepsAsync(reader, task, "single")).GetValueOrDefault("single") ?? [];
        Assert.Empty(single.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(singles.Except(single));
        foreach (var (path, (bytes, acknowledged)) in files)
        {
            var download = await after.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/files/" + path)
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", reader.Token) },
            });
            if (acknowledged || download.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.OK, download.StatusCode);
                Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await download.Content.ReadAsByteArrayAsync()));
            }
        }
    }

    private static async Task BatchWriterAsync(HttpClient http, string token, string task, string variant, ConcurrentBag<long> acknowledged, CancellationToken stop)
    {
        for (long batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var steps = Enumerable.Range(0, BatchSize).Select(i => batch * BatchSize + i).ToList();
            var lines = string.Join("\n", steps.Select(step => JsonSerializer.Serialize(new
            {
                type = "training_stats_scalar", task, iter = step, metric = "batch", variant, value = step * 0.5, timestamp = 1_790_000_000_000 + step,
            })));
            var request = new HttpRequestMessage(HttpMethod.Post, "/v2.23/events.add_batch") { Content = new StringContent(lines, Encoding.UTF8, "application/json-lines") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (await SucceededAsync(http, request))
            {
                steps.ForEach(acknowledged.Add);
            }
        }
    }

    private static async Task SingleWriterAsync(HttpClient http, string task, int writer, ConcurrentBag<long> acknowledged, CancellationToken stop)
    {
        for (long step = writer; !stop.IsCancellationRequested; step += 2)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/rest/v2/write/experiment/metric")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { experimentKey = task, metricName = "single", metricValue = step, step }), Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", MlOpsFactory.ApiKey);
            if (await SucceededAsync(http, request))
            {
                acknowledged.Add(step);
            }
        }
    }

    private static async Task UploaderAsync(HttpClient http, string token, ConcurrentDictionary<string, (byte[], bool)> files, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var path = $"crash/{n}.bin";
            var bytes = RandomNumberGenerator.GetBytes(256 * 1024);
            files[path] = (bytes, false);
            var request = new HttpRequestMessage(HttpMethod.Post, "/files") { Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), path, path } } };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (await SucceededAsync(http, request))
            {
                files[path] = (bytes, true);
            }
        }
    }

    /// <summary>A 2xx is an acknowledgement; a cut connection (the kill) is not, and ends nothing but this request.</summary>
    private static async Task<bool> SucceededAsync(HttpClient http, HttpRequestMessage request)
    {
        try
        {
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            await Task.Delay(50);
            return false;
        }
    }

    /// <summary>Every stored step of each variant of the metric, duplicates kept, paged through as the SDK does.</summary>
    private static async Task<Dictionary<string, List<long>>> StoredStepsAsync(ClearMlClient client, string task, string metric)
    {
        var steps = new Dictionary<string, List<long>>();
        string? scroll = null;
        while (true)
        {
            var page = (await client.CallAsync("events.scalar_metrics_iter_raw", new { task, metric = new { metric }, key = "iter", batch_size = 10_000, scroll_id = scroll })).Ok();
            if (page.GetProperty("returned").GetInt32() == 0)
            {
                return steps;
            }
            foreach (var variant in page.GetProperty("variants").EnumerateObject())
            {
                var list = steps.TryGetValue(variant.Name, out var known) ? known : steps[variant.Name] = [];
                list.AddRange(variant.Value.GetProperty("iter").EnumerateArray().Select(i => i.GetInt64()));
            }
            scroll = page.GetProperty("scroll_id").GetString();
        }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CrashDurabilityTestsOnPostgres(PostgresFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : CrashDurabilityTests(output)
{
    protected override async Task<(string, string)> DatabaseAsync() => ("Postgres", await fixture.Server.CreateDatabaseAsync());
}

public sealed class CrashDurabilityTestsOnSqlite(Xunit.Abstractions.ITestOutputHelper output) : CrashDurabilityTests(output)
{
    protected override Task<(string, string)> DatabaseAsync() => Task.FromResult(("Sqlite", ""));
}
