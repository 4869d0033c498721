using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

/// <summary>The web UI's plot viewer and comparison plots, vector metrics, one scalar metric's events, and model events.</summary>
public abstract class EventsSamplesTests(IServerFixture fixture)
{
    private const long T0 = 1_790_000_000_000;

    private async Task<(ClearMlClient Client, string Task)> RunningTaskAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("samples"), "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        return (client, task);
    }

    private static object Plot(string task, string metric, string variant, long iter) =>
        new { type = "plot", task, iter, metric, variant, plot_str = $"{{\"data\": [\"{metric}/{variant}/{iter}\"]}}", timestamp = T0 + iter };

    [Fact]
    public async Task The_plot_viewer_shows_each_metrics_plots_per_iteration_and_steps_through_them()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([
            Plot(task, "roc", "a", 1), Plot(task, "roc", "b", 1), Plot(task, "pr", "a", 1), Plot(task, "roc", "a", 2), Plot(task, "pr", "a", 3),
        ])).Ok();

        var first = (await client.CallAsync("events.get_plot_sample", new { task, metric = "roc", iteration = 1, navigate_current_metric = false })).Ok();
        var latest = (await client.CallAsync("events.get_plot_sample", new { task, metric = "roc" })).Ok();

        Assert.Equal(["a", "b"], first.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("variant").GetString()));
        Assert.All(first.GetProperty("events").EnumerateArray(), e => Assert.Equal(1, e.GetProperty("iter").GetInt64()));
        Assert.Equal(1, first.GetProperty("min_iteration").GetInt64());
        Assert.Equal(2, first.GetProperty("max_iteration").GetInt64());
        Assert.Equal(2, latest.GetProperty("events")[0].GetProperty("iter").GetInt64());
        var steps = new List<string>();
        var scrollId = first.GetProperty("scroll_id").GetString();
        for (var i = 0; i < 5; i++)
        {
            var next = (await client.CallAsync("events.next_plot_sample", new { task, scroll_id = scrollId })).Ok();
            if (next.GetProperty("events").GetArrayLength() == 0)
            {
                break;
            }
            var shown = next.GetProperty("events")[0];
            steps.Add($"{shown.GetProperty("metric").GetString()}@{shown.GetProperty("iter").GetInt64()}");
            scrollId = next.GetProperty("scroll_id").GetString();
        }
        // Across metrics: pr and roc at 1 (pr comes first), roc at 2, pr at 3; from roc@1 onwards.
        Assert.Equal(["roc@2", "pr@3"], steps);
        var within = (await client.CallAsync("events.next_plot_sample", new { task, scroll_id = latest.GetProperty("scroll_id").GetString(), navigate_earlier = true })).Ok();
        Assert.Equal(1, within.GetProperty("events")[0].GetProperty("iter").GetInt64());
        Assert.Equal("roc", within.GetProperty("events")[0].GetProperty("metric").GetString());
        (await client.CallAsync("events.next_plot_sample", new { task, scroll_id = "not-a-scroll" })).AssertError(400, 1104);
    }

    [Fact]
    public async Task Plots_page_through_iterations_per_task_as_the_comparison_asks()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([Plot(task, "roc", "a", 1), Plot(task, "roc", "a", 2), Plot(task, "pr", "a", 2)])).Ok();

        var page = (await client.CallAsync("events.plots", new { metrics = new[] { new { task, metric = "roc" } }, iters = 1 })).Ok();
        var next = (await client.CallAsync("events.plots", new { metrics = new[] { new { task, metric = "roc" } }, iters = 1, scroll_id = page.GetProperty("scroll_id").GetString() })).Ok();

        var iteration = page.GetProperty("metrics")[0].GetProperty("iterations")[0];
        Assert.Equal(2, iteration.GetProperty("iter").GetInt64());
        Assert.Equal(["roc"], iteration.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("metric").GetString()));
        Assert.Equal(1, next.GetProperty("metrics")[0].GetProperty("iterations")[0].GetProperty("iter").GetInt64());
        (await client.CallAsync("events.plots", new { iters = 1 })).AssertError(400, 12);
    }

    [Fact]
    public async Task Vector_metrics_list_their_variants_and_values_per_iteration()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([
            new { type = "training_stats_vector", task, iter = 2, metric = "weights", variant = "layer1", values = new[] { 0.3, 0.4 }, timestamp = T0 + 2 },
            new { type = "training_stats_vector", task, iter = 1, metric = "weights", variant = "layer1", values = new[] { 0.1, 0.2 }, timestamp = T0 + 1 },
            new { type = "training_stats_vector", task, iter = 1, metric = "weights", variant = "layer2", values = new[] { 1.0 }, timestamp = T0 + 1 },
        ])).Ok();

        var names = (await client.CallAsync("events.get_vector_metrics_and_variants", new { task })).Ok().GetProperty("metrics");
        var histogram = (await client.CallAsync("events.vector_metrics_iter_histogram", new { task, metric = "weights", variant = "layer1" })).Ok();

        Assert.Equal(["layer1", "layer2"], names.GetProperty("weights").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([1L, 2L], histogram.GetProperty("iterations").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Equal([0.1, 0.2], histogram.GetProperty("vectors")[0].EnumerateArray().Select(v => v.GetDouble()));
        (await client.CallAsync("events.vector_metrics_iter_histogram", new { task, metric = "weights" })).AssertError(400, 12);
    }

    [Fact]
    public async Task Scalar_metric_data_pages_one_metrics_events_latest_first()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync(Enumerable.Range(1, 3).SelectMany(i => new object[]
        {
            new { type = "training_stats_scalar", task, iter = i, metric = "loss", variant = "train", value = i * 1.0, timestamp = T0 + i },
            new { type = "training_stats_scalar", task, iter = i, metric = "accuracy", variant = "train", value = i * 0.1, timestamp = T0 + i },
        }))).Ok();

        var data = (await client.CallAsync("events.get_scalar_metric_data", new { task, metric = "loss" })).Ok();

        Assert.Equal(3, data.GetProperty("returned").GetInt32());
        Assert.Equal(3, data.GetProperty("total").GetInt64());
        Assert.Equal([3L, 2L, 1L], data.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("iter").GetInt64()));
        Assert.All(data.GetProperty("events").EnumerateArray(), e => Assert.Equal("loss", e.GetProperty("metric").GetString()));
        var rest = (await client.CallAsync("events.get_scalar_metric_data", new { task, metric = "loss", scroll_id = data.GetProperty("scroll_id").GetString() })).Ok();
        Assert.Equal(0, rest.GetProperty("returned").GetInt32());
    }

    [Fact]
    public async Task Model_events_are_never_stored_so_deleting_them_deletes_none_but_the_model_must_be_writable()
    {
        var (client, task) = await RunningTaskAsync();
        var model = (await client.CallAsync("models.create", new { name = "model", uri = "file:///m.pt", task, ready = false })).Ok().GetProperty("id").GetString();
        var keys = await fixture.Factory.CreateTenantAsync();
        var intruder = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);

        var refused = await client.AddEventsAsync([new { type = "plot", task = model, iter = 1, metric = "m", variant = "v", plot_str = "{}", model_event = true }]);
        Assert.Equal(0, (await client.CallAsync("events.delete_for_model", new { model })).Ok().GetProperty("deleted").GetInt32());
        (await client.CallAsync("models.set_ready", new { model, publish_task = false })).Ok();

        refused.AssertError(400, 131);
        (await client.CallAsync("events.delete_for_model", new { model })).AssertError(400, 203);
        (await client.CallAsync("events.delete_for_model", new { model, allow_locked = true })).Ok();
        (await intruder.CallAsync("events.delete_for_model", new { model, allow_locked = true })).AssertError(400, 201);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class EventsSamplesTestsOnPostgres(PostgresFixture fixture) : EventsSamplesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class EventsSamplesTestsOnSqlite(SqliteFixture fixture) : EventsSamplesTests(fixture);
