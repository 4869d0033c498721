using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using MlOps.Bench;
using Npgsql;
using NpgsqlTypes;

// One run of every figure BENCHMARKS.md reports. bench/run.sh starts a fresh PostgreSQL and the Release server
// and passes: --url --db --access-key --secret-key --api-key --server-pid [--max-points N]
// bench/replicas.sh passes --ingest-only true: the ceiling, add_batch and Comet figures (phases 1-3), then the report.
// --reads-only true runs phase 6 (reads at scale) alone, then the report; --reads-repeat N measures its reads N times.
var options = args.Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
var url = options["url"];
var maxPoints = long.Parse(options.GetValueOrDefault("max-points", "100000000"));
var serverPid = int.Parse(options["server-pid"]);
var report = new Report();
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
await using var db = NpgsqlDataSource.Create(options["db"]);
var peakRss = new PeakRss(serverPid);

var clearMl = await ClearMlClient.LoginAsync(http, options["access-key"], options["secret-key"]);
if (options.GetValueOrDefault("reads-only") == "true")
{
    Phase("6/7 reads at scale");
    await new ReadsAtScale(clearMl, db, report).RunAsync("bench-scale-" + DateTime.UtcNow.Ticks, int.Parse(options.GetValueOrDefault("reads-repeat", "1")));
    peakRss.EndPhase("reads at scale");
    report.Add("server peak RSS during reads at scale", peakRss.Phases[^1].Megabytes, "MB", "", null, "< 300 MB");
    Console.WriteLine();
    Console.WriteLine(report.Markdown());
    return 0;
}
var project = (await clearMl.CallAsync("projects.create", new { name = "bench-" + DateTime.UtcNow.Ticks })).GetProperty("id").GetString()!;
const int PerRequest = 10_000;
long stored = 0;

Phase("1/7 ceilings: binary COPY of 1M points into a minimal (series_id, step) table, and into metric_points");
var minimal = await CopyMinimalAsync(1_000_000);
report.Add("binary COPY, 1M points, minimal (series_id, step) table (the ceiling)", minimal, "rows/s");
var ceilingTask = await clearMl.CreateTaskAsync(project, "ceiling");
await Send(clearMl.AddBatch(ClearMlClient.ScalarLines(ceilingTask, 0, 1, 1, "ceiling")));
var ceiling = await CopyCeilingAsync(ceilingTask, 1_000_000);
stored += 1_000_001;
report.Add("binary COPY, 1M points, into metric_points", ceiling, "rows/s", "ceiling", minimal);
peakRss.EndPhase("ceilings");

Phase("2/7 events.add_batch, 10,000 scalars per request");
var single = await clearMl.CreateTaskAsync(project, "one-series");
var stagesBefore = await IngestStages.ReadAsync(http);
var oneClient = await AddBatchAsync([single], requestsPerClient: 100, seriesCount: 1);
report.Add("add_batch, 1 client (1M points, one series)", oneClient, "rows/s", "ceiling", minimal, "≥ 0.60× ceiling");
// Where a request's time goes, each stage beside the time the ceiling takes to COPY the same 10,000 rows.
foreach (var (stage, ms) in IngestStages.PerRequest(stagesBefore, await IngestStages.ReadAsync(http), requests: 100))
{
    report.Add($"add_batch, 1 client: server time per 10k request in stage '{stage}'", ms, "ms", "ceiling's COPY of 10k rows", PerRequest * 1000 / minimal);
}
var fourTasks = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => clearMl.CreateTaskAsync(project, $"client-{i}")));
var fourClients = await AddBatchAsync(fourTasks, requestsPerClient: 25, seriesCount: 4);
report.Add("add_batch, 4 clients (1M points)", fourClients, "rows/s", "ceiling", minimal, "≥ 0.90× ceiling");
report.Add("ingest rate at ~3M stored points (4 clients)", fourClients, "rows/s");
peakRss.EndPhase("add_batch");

Phase("3/7 Comet metrics at 64 clients, next to /health/live");
var apiKey = options["api-key"];
var workspace = (await (await http.SendAsync(Comet(HttpMethod.Get, "account-details", null))).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>())
    .GetProperty("defaultWorkspaceName").GetString();
var experimentKey = (await (await http.SendAsync(Comet(HttpMethod.Post, "write/experiment/create", new { workspaceName = workspace, projectName = "bench-comet" })))
    .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("experimentKey").GetString();
HttpRequestMessage SinglePoint(int client, long n) => Comet(HttpMethod.Post, "write/experiment/metric",
    new { experimentKey, metricName = "loss", context = $"c{client}", metricValue = n * 0.5, step = n });
HttpRequestMessage PointBatch(int client, long n) => Comet(HttpMethod.Post, "write/experiment/metrics/batch",
    new { experimentKey, metrics = Enumerable.Range(0, 100).Select(i => new { metricName = "acc", context = $"c{client}", metricValue = i * 0.01, step = n * 100 + i }) });
Console.WriteLine("  warming up (15 s)");
await Load.RunAsync(http, 64, TimeSpan.FromSeconds(10), SinglePoint);
await Load.RunAsync(http, 64, TimeSpan.FromSeconds(5), (_, _) => new HttpRequestMessage(HttpMethod.Get, "/health/live"));
var health = await Load.RunAsync(http, 64, TimeSpan.FromSeconds(10), (_, _) => new HttpRequestMessage(HttpMethod.Get, "/health/live"));
report.Add("GET /health/live, 64 clients", health.PerSecond, $"req/s (p50 {health.P50Ms:0.0} ms, p99 {health.P99Ms:0.0} ms)");
var singles = await Load.RunAsync(http, 64, TimeSpan.FromSeconds(10), SinglePoint);
Fail(singles);
report.Add("Comet single point, 64 clients", singles.PerSecond, $"points/s (p50 {singles.P50Ms:0.0} ms, p99 {singles.P99Ms:0.0} ms)", "health", health.PerSecond, "≥ 0.30× health, p99 < 20 ms");
var batches = await Load.RunAsync(http, 64, TimeSpan.FromSeconds(10), PointBatch);
Fail(batches);
report.Add("Comet batch of 100 points, 64 clients", batches.PerSecond * 100, $"points/s (p50 {batches.P50Ms:0.0} ms, p99 {batches.P99Ms:0.0} ms)", "ceiling", minimal);
stored += singles.Requests + batches.Requests * 100;
peakRss.EndPhase("Comet");
if (options.GetValueOrDefault("ingest-only") == "true")
{
    peakRss.EndPhase("ingest");
    report.Add("server peak RSS during ingest", peakRss.Phases[^1].Megabytes, "MB", "", null, "< 300 MB");
    Console.WriteLine();
    Console.WriteLine(report.Markdown());
    return 0;
}

Phase("4/7 reads: a 1M-point series downsampled to ~1,000 points");
var seriesOfSingle = await SeriesIdsAsync(single);
var rawSingle = await Timing.MedianAsync(() => RawBucketsAsync(seriesOfSingle, 1000));
report.Add("raw SQL bucket query, 1M points → 1,000", rawSingle, "ms");
var clearMlRead = await Timing.MedianAsync(() => clearMl.CallAsync("events.scalar_metrics_iter_histogram", new { task = single, samples = 1000 }));
report.Add("ClearML scalar_metrics_iter_histogram, same series", clearMlRead, "ms", "raw SQL", rawSingle, "≤ 2× raw SQL");
var cometRead = await Timing.MedianAsync(async () => (await http.SendAsync(Comet(HttpMethod.Post, "experiments/multi-metric-chart",
    new { targetedExperiments = new[] { single }, metrics = new[] { "loss" } }))).EnsureSuccessStatusCode());
report.Add("Comet multi-metric-chart, same series", cometRead, "ms", "raw SQL", rawSingle, "≤ 2× raw SQL");
peakRss.EndPhase("1M-point reads");

Phase("5/7 reads: a task of 100 series × 10,000 points");
var wide = await clearMl.CreateTaskAsync(project, "100-series");
await AddBatchAsync([wide], requestsPerClient: 100, seriesCount: 100);
var seriesOfWide = await SeriesIdsAsync(wide);
var rawWide = await Timing.MedianAsync(() => RawBucketsAsync(seriesOfWide, 1000));
report.Add("raw SQL bucket query, 100 × 10k points → 100 × 1,000", rawWide, "ms");
var wideRead = await Timing.MedianAsync(() => clearMl.CallAsync("events.scalar_metrics_iter_histogram", new { task = wide, samples = 1000 }));
report.Add("ClearML scalar_metrics_iter_histogram, 100 × 10k", wideRead, "ms", "raw SQL", rawWide, "≤ 0.05× raw SQL");
peakRss.EndPhase("100-series reads");

Phase("6/7 reads at scale: the web UI's experiment table over 100,000 tasks, the projects page over 1,000 projects");
await new ReadsAtScale(clearMl, db, report).RunAsync("bench-scale-" + DateTime.UtcNow.Ticks);
peakRss.EndPhase("reads at scale");

Phase($"7/7 ingest as the table grows, to {maxPoints:N0} stored points (4 clients)");
var growth = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => clearMl.CreateTaskAsync(project, $"growth-{i}")));
foreach (var mark in new long[] { 10_000_000, 50_000_000, 100_000_000 }.Where(m => m <= maxPoints))
{
    var requests = (int)Math.Max(0, (mark - stored - 2_000_000) / (4 * PerRequest));
    await AddBatchAsync(growth, requests, seriesCount: 4);
    var rate = await AddBatchAsync(growth, requestsPerClient: 50, seriesCount: 4);
    report.Add($"ingest rate at ~{mark / 1_000_000}M stored points (4 clients)", rate, "rows/s", "at ~3M", fourClients, "within ±20%");
}
peakRss.EndPhase("ingest growth");
foreach (var (phase, megabytes) in peakRss.Phases)
{
    report.Add($"server peak RSS during {phase}", megabytes, "MB", "", null, "< 300 MB");
}

Console.WriteLine();
Console.WriteLine(report.Markdown());
return 0;

void Phase(string name) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}");

HttpRequestMessage Comet(HttpMethod method, string path, object? body)
{
    var request = new HttpRequestMessage(method, "/api/rest/v2/" + path) { Content = body is null ? null : JsonContent.Create(body) };
    request.Headers.TryAddWithoutValidation("Authorization", apiKey);
    return request;
}

async Task Send(HttpRequestMessage request) => await ClearMlClient.DataAsync(await http.SendAsync(request));

void Fail(LoadResult result)
{
    if (result.Failures > 0)
    {
        throw new InvalidOperationException($"{result.Failures} requests failed");
    }
}

// Points per second of add_batch requests: bodies built first, each client sends its requests one after another.
async Task<double> AddBatchAsync(string[] tasks, int requestsPerClient, int seriesCount)
{
    var bodies = tasks.Select(task => Enumerable.Range(0, requestsPerClient)
        .Select(r => ClearMlClient.ScalarLines(task, NextStep(task, PerRequest / seriesCount), PerRequest, seriesCount)).ToList()).ToList();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(bodies.Select(async mine =>
    {
        foreach (var body in mine)
        {
            await Send(clearMl.AddBatch(body));
            if (Interlocked.Add(ref stored, PerRequest) % 1_000_000 < PerRequest)
            {
                Console.WriteLine($"  {Interlocked.Read(ref stored):N0} points stored");
            }
        }
    }));
    return tasks.Length * requestsPerClient * PerRequest / clock.Elapsed.TotalSeconds;
}

long NextStep(string task, int steps)
{
    lock (nextSteps)
    {
        var first = nextSteps.GetValueOrDefault(task);
        nextSteps[task] = first + steps;
        return first;
    }
}

async Task<double> CopyCeilingAsync(string task, int rows)
{
    var series = (await SeriesIdsAsync(task)).Single();
    await using var connection = await db.OpenConnectionAsync();
    var workspace = (Guid)(await new NpgsqlCommand($"SELECT workspace_id FROM metric_series WHERE id = {series}", connection).ExecuteScalarAsync())!;
    var clock = Stopwatch.StartNew();
    await using (var transaction = await connection.BeginTransactionAsync())
    {
        await using (var writer = await connection.BeginBinaryImportAsync("COPY metric_points (workspace_id, series_id, step, epoch, timestamp, value) FROM STDIN (FORMAT BINARY)"))
        {
            var start = DateTime.UtcNow;
            for (var i = 1; i <= rows; i++)
            {
                writer.StartRow();
                writer.Write(workspace, NpgsqlDbType.Uuid);
                writer.Write(series, NpgsqlDbType.Bigint);
                writer.Write((long)i, NpgsqlDbType.Bigint);
                writer.WriteNull();
                writer.Write(start.AddMilliseconds(i), NpgsqlDbType.TimestampTz);
                writer.Write(Math.Sin(i / 1000.0), NpgsqlDbType.Double);
            }
            await writer.CompleteAsync();
        }
        await transaction.CommitAsync();
    }
    return rows / clock.Elapsed.TotalSeconds;
}

// The reference: the fastest a single writer can store the points, into a table holding only them and their key.
async Task<double> CopyMinimalAsync(int rows)
{
    await using var connection = await db.OpenConnectionAsync();
    await new NpgsqlCommand("CREATE TABLE bench_minimal (series_id bigint, step bigint, value float8, timestamp timestamptz, PRIMARY KEY (series_id, step))", connection).ExecuteNonQueryAsync();
    var clock = Stopwatch.StartNew();
    await using (var transaction = await connection.BeginTransactionAsync())
    {
        await using (var writer = await connection.BeginBinaryImportAsync("COPY bench_minimal (series_id, step, value, timestamp) FROM STDIN (FORMAT BINARY)"))
        {
            var start = DateTime.UtcNow;
            for (var i = 1; i <= rows; i++)
            {
                writer.StartRow();
                writer.Write(1L, NpgsqlDbType.Bigint);
                writer.Write((long)i, NpgsqlDbType.Bigint);
                writer.Write(Math.Sin(i / 1000.0), NpgsqlDbType.Double);
                writer.Write(start.AddMilliseconds(i), NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
        await transaction.CommitAsync();
    }
    var rate = rows / clock.Elapsed.TotalSeconds;
    await new NpgsqlCommand("DROP TABLE bench_minimal", connection).ExecuteNonQueryAsync();
    return rate;
}

async Task<long[]> SeriesIdsAsync(string task)
{
    await using var command = db.CreateCommand("SELECT id FROM metric_series WHERE experiment_id = $1 ORDER BY id");
    command.Parameters.AddWithValue(Guid.Parse(task));
    var ids = new List<long>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        ids.Add(reader.GetInt64(0));
    }
    return [.. ids];
}

// The reference read: each series cut into `samples` equal-width step buckets and averaged, in one query.
async Task RawBucketsAsync(long[] series, int samples)
{
    await using var command = db.CreateCommand("""
        WITH w AS (SELECT series_id, min(step) AS first, (max(step) - min(step)) / $2 + 1 AS width FROM metric_points WHERE series_id = ANY($1) GROUP BY series_id)
        SELECT p.series_id, min(p.step), avg(p.value) FROM metric_points p JOIN w ON w.series_id = p.series_id
        GROUP BY p.series_id, (p.step - w.first) / w.width
        """);
    command.Parameters.AddWithValue(series);
    command.Parameters.AddWithValue((long)samples);
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
    }
}

public partial class Program
{
    private static readonly Dictionary<string, long> nextSteps = [];
}
