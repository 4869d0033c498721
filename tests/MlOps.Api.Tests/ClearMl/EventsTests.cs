using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data;

namespace MlOps.Api.Tests.ClearMl;

public abstract class EventsTests(IServerFixture fixture)
{
    private async Task<(ClearMlClient Client, string Task)> RunningTaskAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("events"), "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        return (client, task);
    }

    private static object Scalar(string task, string metric, string variant, long iter, double value) =>
        new { type = "training_stats_scalar", task, iter, metric, variant, value, timestamp = 1_790_000_000_000 + iter, allow_locked = false, model_event = false };

    private static JsonElement LastMetric(JsonElement task, string metric, string variant) =>
        task.GetProperty("last_metrics").EnumerateObject().SelectMany(m => m.Value.EnumerateObject())
            .Select(v => v.Value)
            .Single(v => v.GetProperty("metric").GetString() == metric && v.GetProperty("variant").GetString() == variant);

    [Fact]
    public async Task Reported_scalars_keep_a_running_summary_that_the_task_document_shows()
    {
        var (client, task) = await RunningTaskAsync();

        var first = (await client.AddEventsAsync(Enumerable.Range(0, 100).Select(i => Scalar(task, "loss", "train", i, 10.0 - i * 0.05)))).Ok();
        (await client.AddEventsAsync([Scalar(task, "loss", "train", 50, 99.0), Scalar(task, "loss", "train", 150, 3.5), Scalar(task, "acc", "val", 150, 0.9)])).Ok();

        Assert.Equal(100, first.GetProperty("added").GetInt32());
        Assert.Equal(0, first.GetProperty("errors").GetInt32());
        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        var loss = LastMetric(doc, "loss", "train");
        Assert.Equal(3.5, loss.GetProperty("value").GetDouble());
        Assert.Equal(3.5, loss.GetProperty("min_value").GetDouble());
        Assert.Equal(150, loss.GetProperty("min_value_iteration").GetInt64());
        Assert.Equal(99.0, loss.GetProperty("max_value").GetDouble());
        Assert.Equal(50, loss.GetProperty("max_value_iteration").GetInt64());
        Assert.Equal(102, loss.GetProperty("count").GetInt64());
        Assert.Equal(0.9, LastMetric(doc, "acc", "val").GetProperty("value").GetDouble());
        Assert.Equal(150, doc.GetProperty("last_iteration").GetInt64());
    }

    [Fact]
    public async Task A_batch_with_some_bad_events_adds_the_good_ones_and_counts_the_rest()
    {
        var (client, task) = await RunningTaskAsync();

        var result = (await client.AddEventsAsync(
        [
            Scalar(task, "m", "v", 1, 1.0),
            new { type = "log", task, level = "info", msg = "hello", timestamp = 1_790_000_000_000 },
            new { type = "plot", task, iter = 1, metric = "p", variant = "v", plot_str = "{}" },
            Scalar(Guid.NewGuid().ToString("N"), "m", "v", 1, 1.0),
            new { type = "no_such_type", task },
            new { task, msg = "no type" },
        ])).Ok();

        Assert.Equal(3, result.GetProperty("added").GetInt32());
        Assert.Equal(3, result.GetProperty("errors").GetInt32());
        Assert.Equal(3, result.GetProperty("errors_info").EnumerateObject().Sum(e => e.Value.GetInt32()));
    }

    [Fact]
    public async Task A_batch_with_nothing_acceptable_is_400_events_not_added()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();
        (await client.CallAsync("tasks.publish", new { task })).Ok();

        (await client.AddEventsAsync([Scalar(task, "m", "v", 1, 1.0)])).AssertError(400, 131);
        (await client.AddEventsAsync([new { type = "training_stats_scalar", task, iter = 1, metric = "m", variant = "v", value = 2.0, allow_locked = true }])).Ok();
        (await client.CallAsync("events.add_batch", "{\"type\": ")).AssertError(400, 12);
    }

    [Fact]
    public async Task Events_cannot_be_added_to_another_workspaces_task()
    {
        var (owner, task) = await RunningTaskAsync();
        var keys = await fixture.Factory.CreateTenantAsync();
        var intruder = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);

        (await intruder.AddEventsAsync([Scalar(task, "m", "v", 1, 1.0)])).AssertError(400, 131);

        var doc = (await owner.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Empty(doc.GetProperty("last_metrics").EnumerateObject());
    }

    [Fact]
    public async Task Reset_clears_reported_metrics()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([Scalar(task, "m", "v", 7, 1.0)])).Ok();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();

        (await client.CallAsync("tasks.reset", new { task })).Ok();

        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Empty(doc.GetProperty("last_metrics").EnumerateObject());
        Assert.Equal(0, doc.GetProperty("last_iteration").GetInt64());
    }

    /// <summary>
    /// The points table has no foreign key on PostgreSQL: a deleted series' points go by trigger, and a batch naming a
    /// series deleted since its id was cached (here by reset) finds it gone, looks it up again and lands whole.
    /// </summary>
    [Fact]
    public async Task A_reset_task_reports_again_into_a_new_series_and_no_point_outlives_its_series()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync(Enumerable.Range(0, 600).Select(i => Scalar(task, "m", "v", i, 1.0)))).Ok();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();
        (await client.CallAsync("tasks.reset", new { task })).Ok();
        (await client.CallAsync("tasks.started", new { task })).Ok();

        var again = (await client.AddEventsAsync(Enumerable.Range(0, 600).Select(i => Scalar(task, "m", "v", i, 2.0)))).Ok();

        Assert.Equal(600, again.GetProperty("added").GetInt32());
        var curve = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, samples = 1000 })).Ok().GetProperty("m").GetProperty("v");
        Assert.Equal(Enumerable.Repeat(2.0, 600), curve.GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));
        using var scope = fixture.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MlOpsDbContext>();
        Assert.Equal(0, await db.MetricPoints.IgnoreQueryFilters().CountAsync(p => !db.MetricSeries.IgnoreQueryFilters().Any(s => s.Id == p.SeriesId)));
    }

    [Fact]
    public async Task A_single_event_can_be_added_on_its_own()
    {
        var (client, task) = await RunningTaskAsync();

        (await client.CallAsync("events.add", Scalar(task, "m", "v", 4, 2.5))).Ok();
        (await client.CallAsync("events.add", new { type = "training_stats_scalar", task = Guid.NewGuid().ToString("N") })).AssertError(400, 131);

        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Equal(2.5, LastMetric(doc, "m", "v").GetProperty("value").GetDouble());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class EventsTestsOnPostgres(PostgresFixture fixture) : EventsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class EventsTestsOnSqlite(SqliteFixture fixture) : EventsTests(fixture);
