using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Api.Platform;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.ClearMl;

/// <summary>The web UI's Workers &amp; Queues charts: what agents and queues did over time, recorded as it happens.</summary>
public abstract class StatisticsTests(IServerFixture fixture)
{
    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    private const int Day = 86400;

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>
    /// The last hour, and two intervals ahead so that the one holding now is complete. Readings made together fall in one
    /// interval unless it is long (a day, say), which the checks of values use.
    /// </summary>
    private static object Range(int interval, object? more = null)
    {
        var range = new Dictionary<string, object> { ["from_date"] = Now - 3600, ["to_date"] = Now + 2 * Math.Max(interval, 40), ["interval"] = interval };
        foreach (var property in more?.GetType().GetProperties() ?? [])
        {
            range[property.Name] = property.GetValue(more)!;
        }
        return range;
    }

    private static async Task ReportAsync(ClearMlClient client, string worker, string? task, object machineStats) =>
        (await client.CallAsync("workers.status_report", new { worker, task, timestamp = Now * 1000, machine_stats = machineStats })).Ok();

    [Fact]
    public async Task Worker_reports_are_charted_per_interval_with_each_aggregation_and_per_device()
    {
        var client = await TenantAsync();
        await ReportAsync(client, "gpu-box:0", null, new { cpu_usage = new[] { 20.0, 60.0 }, memory_used = 4096.0, memory_free = 0.0, gpu_usage = new[] { 90.0 } });
        await ReportAsync(client, "gpu-box:0", null, new { cpu_usage = new[] { 40.0, 80.0 }, memory_used = 2048.0 });

        var keys = (await client.CallAsync("workers.get_metric_keys", new { worker_ids = new[] { "gpu-box:0" } })).Ok().GetProperty("categories");
        var dated = (await client.CallAsync("workers.get_stats", Range(30, new { items = new[] { new { key = "cpu_usage", aggregation = "avg" } } }))).Ok();
        var stats = (await client.CallAsync("workers.get_stats", Range(Day, new
        {
            worker_ids = new[] { "gpu-box:0" },
            items = new[] { new { key = "cpu_usage", aggregation = "avg" }, new { key = "cpu_usage", aggregation = "max" }, new { key = "memory_used", aggregation = "min" } },
        }))).Ok().GetProperty("workers");
        var split = (await client.CallAsync("workers.get_stats", Range(Day, new { items = new[] { new { key = "cpu_usage", aggregation = "avg" } }, split_by_variant = true }))).Ok();

        Assert.Equal(["cpu", "gpu", "memory"], keys.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["memory_used"], keys[2].GetProperty("metric_keys").EnumerateArray().Select(k => k.GetString()));
        var worker = Assert.Single(stats.EnumerateArray());
        Assert.Equal("gpu-box:0", worker.GetProperty("worker").GetString());
        var cpu = worker.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "cpu_usage");
        var dates = dated.GetProperty("workers")[0].GetProperty("metrics")[0].GetProperty("dates").EnumerateArray().Select(d => d.GetInt64()).ToList();
        Assert.InRange(dates.Count, 90, 93);
        Assert.All(dates, d => Assert.Equal(0, d % 40_000));
        Assert.Equal(0, Values(dated.GetProperty("workers")[0].GetProperty("metrics")[0], "avg").Min());
        Assert.Equal(50, Values(cpu, "avg").Max());
        Assert.Equal(80, Values(cpu, "max").Max());
        var memory = worker.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "memory_used");
        Assert.Equal(2048, Values(memory, "min").Max());
        var perCore = split.GetProperty("workers")[0].GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(["0", "1"], perCore.Select(m => m.GetProperty("variant").GetString()));
        Assert.Equal(70, Values(perCore[1], "avg").Max());
        (await client.CallAsync("workers.get_stats", Range(60))).AssertError(400, 12);
        (await client.CallAsync("workers.get_stats", new { from_date = Now, to_date = Now - 60, interval = 60, items = new[] { new { key = "cpu_usage" } } })).AssertError(400, 16);
    }

    [Fact]
    public async Task The_activity_report_counts_reporting_workers_and_those_running_a_task()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("runs"), "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        await ReportAsync(client, "busy:0", task, new { cpu_usage = new[] { 90.0 } });
        await ReportAsync(client, "idle:0", null, new { cpu_usage = new[] { 1.0 } });
        await ReportAsync(client, "idle:0", null, new { cpu_usage = new[] { 2.0 } });

        var report = (await client.CallAsync("workers.get_activity_report", Range(Day), "999.0")).Ok();

        Assert.Equal(2, report.GetProperty("total").GetProperty("counts").EnumerateArray().Max(c => c.GetInt32()));
        Assert.Equal(1, report.GetProperty("active").GetProperty("counts").EnumerateArray().Max(c => c.GetInt32()));
        Assert.Equal(report.GetProperty("total").GetProperty("dates").GetArrayLength(), report.GetProperty("total").GetProperty("counts").GetArrayLength());
        var other = await TenantAsync();
        var foreign = (await other.CallAsync("workers.get_activity_report", Range(60))).Ok();
        Assert.Equal(0, foreign.GetProperty("total").GetProperty("counts").EnumerateArray().Max(c => c.GetInt32()));
        Assert.Empty((await other.CallAsync("workers.get_metric_keys")).Ok().GetProperty("categories").EnumerateArray());
    }

    [Fact]
    public async Task Queue_metrics_chart_each_queues_length_and_wait_and_all_queues_together()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("queued");
        var busy = (await client.CallAsync("queues.create", new { name = "busy" })).Ok().GetProperty("id").GetString()!;
        var calm = (await client.CallAsync("queues.create", new { name = "calm" })).Ok().GetProperty("id").GetString()!;
        foreach (var (queue, name) in new[] { (busy, "a"), (busy, "b"), (calm, "c") })
        {
            (await client.CallAsync("tasks.enqueue", new { task = await client.CreateTaskAsync(project, name), queue })).Ok();
        }
        await Task.Delay(1100);

        var one = (await client.CallAsync("queues.get_queue_metrics", Range(60, new { queue_ids = new[] { busy }, refresh = true }))).Ok().GetProperty("queues");
        var all = (await client.CallAsync("queues.get_queue_metrics", Range(60))).Ok().GetProperty("queues");

        var series = Assert.Single(one.EnumerateArray());
        Assert.Equal(busy, series.GetProperty("queue").GetString());
        Assert.Equal(2, series.GetProperty("queue_lengths").EnumerateArray().Last().GetInt32());
        Assert.True(series.GetProperty("avg_waiting_times").EnumerateArray().Last().GetDouble() >= 1);
        Assert.All(series.GetProperty("dates").EnumerateArray(), d => Assert.Equal(0, d.GetInt64() % 60_000));
        var total = Assert.Single(all.EnumerateArray());
        Assert.Equal("total", total.GetProperty("queue").GetString());
        Assert.Equal(3, total.GetProperty("queue_lengths").EnumerateArray().Last().GetInt32());
        var other = await TenantAsync();
        Assert.Empty((await other.CallAsync("queues.get_queue_metrics", Range(60))).Ok().GetProperty("queues").EnumerateArray());
        Assert.Empty((await other.CallAsync("queues.get_queue_metrics", Range(60, new { queue_ids = new[] { busy } }))).Ok().GetProperty("queues").EnumerateArray());
    }

    [Fact]
    public async Task Upkeep_samples_quiet_queues_and_deletes_readings_past_the_retention()
    {
        var client = await TenantAsync();
        var queue = Guid.Parse((await client.CallAsync("queues.create", new { name = "quiet" })).Ok().GetProperty("id").GetString()!);
        var workspace = (await client.CallAsync("users.get_current_user")).Ok().GetProperty("user").GetProperty("company").GetProperty("id").GetString()!;
        var contexts = fixture.Factory.Services.GetRequiredService<WorkspaceContextFactory>();
        await using (var db = contexts.For(Guid.Parse(workspace)))
        {
            db.WorkerStats.Add(new WorkerStat { Worker = "old", Timestamp = DateTimeOffset.UtcNow.AddDays(-31).ToUnixTimeMilliseconds(), Category = "cpu", Metric = "cpu_usage", Variant = "0", Value = 1 });
            await db.SaveChangesAsync();
        }
        await ReportAsync(client, "recent", null, new { cpu_usage = new[] { 5.0 } });
        var upkeep = fixture.Factory.Services.GetRequiredService<StatisticsUpkeep>();

        await upkeep.SampleQuietQueuesAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        await upkeep.SampleQuietQueuesAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        await upkeep.DeleteExpiredAsync(CancellationToken.None);

        await using var check = contexts.For(null);
        Assert.Equal(1, await check.QueueMetrics.IgnoreQueryFilters().CountAsync(m => m.QueueId == queue));
        var workers = await check.WorkerStats.IgnoreQueryFilters().Where(s => s.WorkspaceId == Guid.Parse(workspace)).Select(s => s.Worker).ToListAsync();
        Assert.Equal(["recent"], workers);
    }

    [Fact]
    public async Task Server_stats_report_the_workspace_and_each_agents_machine_and_runs()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("runs"), "t");
        (await client.CallAsync("queues.create", new { name = "q" })).Ok();
        (await client.CallAsync("tasks.started", new { task })).Ok();
        await ReportAsync(client, "agent:0", task, new { cpu_usage = new[] { 10.0, 30.0, 50.0, 70.0 }, memory_used = 2048.0 });
        (await client.CallAsync("tasks.completed", new { task })).Ok();

        var stats = (await client.CallAsync("server.get_stats")).Ok();
        var other = (await (await TenantAsync()).CallAsync("server.get_stats")).Ok();

        Assert.Equal(1, stats.GetProperty("server").GetProperty("queues").GetProperty("count").GetInt32());
        Assert.Equal(1, stats.GetProperty("server").GetProperty("experiments").GetProperty("count").GetInt32());
        var agent = Assert.Single(stats.GetProperty("agents").EnumerateArray());
        Assert.Equal("agent:0", agent.GetProperty("uuid").GetString());
        Assert.Equal(4, agent.GetProperty("resources").GetProperty("num_cores").GetInt32());
        Assert.Equal(70, agent.GetProperty("resources").GetProperty("cpu_usage").GetProperty("max").GetDouble());
        Assert.Equal(2, agent.GetProperty("resources").GetProperty("mem_used_gb").GetProperty("avg").GetDouble());
        Assert.Equal(1, agent.GetProperty("experiments").GetProperty("count").GetInt32());
        Assert.Empty(other.GetProperty("agents").EnumerateArray());
        Assert.Equal(0, other.GetProperty("server").GetProperty("experiments").GetProperty("count").GetInt32());
    }

    private static IEnumerable<double> Values(JsonElement metric, string aggregation) =>
        metric.GetProperty("stats").EnumerateArray().Single(s => s.GetProperty("aggregation").GetString() == aggregation)
            .GetProperty("values").EnumerateArray().Select(v => v.GetDouble());
}

[Collection(PostgresCollection.Name)]
public sealed class StatisticsTestsOnPostgres(PostgresFixture fixture) : StatisticsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class StatisticsTestsOnSqlite(SqliteFixture fixture) : StatisticsTests(fixture);
