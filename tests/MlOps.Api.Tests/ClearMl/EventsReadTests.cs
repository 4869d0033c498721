using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class EventsReadTests(IServerFixture fixture)
{
    private const long T0 = 1_790_000_000_000;
    private const int SingleValueIteration = int.MinValue;

    private async Task<(ClearMlClient Client, string Task)> RunningTaskAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("events-read"), "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        return (client, task);
    }

    private static object Scalar(string task, string metric, string variant, long iter, double value) =>
        new { type = "training_stats_scalar", task, iter, metric, variant, value, timestamp = T0 + iter, allow_locked = false, model_event = false };

    private static object Log(string task, string msg, long timestamp) =>
        new { type = "log", task, level = "info", worker = "w", msg, timestamp };

    private static object Image(string task, string metric, string variant, long iter) =>
        new { type = "training_debug_image", task, iter, metric, variant, key = $"{metric}/{variant}/{iter}", url = $"http://files/{metric}/{variant}/{iter}.png", timestamp = T0 + iter };

    private static double CurveValue(int i) => Math.Sin(i / 100.0) * 3.0 + i / 7.0;

    /// <summary>Reports a long curve the way the SDK flushes it: several batches of a few thousand lines.</summary>
    private static async Task ReportCurveAsync(ClearMlClient client, string task, int points)
    {
        foreach (var chunk in Enumerable.Range(0, points).Chunk(5_000))
        {
            (await client.AddEventsAsync(chunk.Select(i => Scalar(task, "loss", "train", i, CurveValue(i))))).Ok();
        }
    }

    private static long[] Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [Fact]
    public async Task A_long_curve_scrolls_back_complete_and_exact_through_get_task_events()
    {
        var (client, task) = await RunningTaskAsync();
        await ReportCurveAsync(client, task, 20_000);

        // As get_all_reported_scalars does: page with the returned scroll_id until a page comes back short.
        var pages = new List<JsonElement>();
        string? scrollId = null;
        while (true)
        {
            var page = (await client.CallAsync("events.get_task_events",
                new { task, event_type = "training_stats_scalar", batch_size = 1000, scroll_id = scrollId, model_events = false })).Ok();
            pages.Add(page);
            if (page.GetProperty("returned").GetInt32() < 1000 || page.GetProperty("scroll_id").GetString() is not { } next)
            {
                break;
            }
            scrollId = next;
        }

        Assert.Equal(21, pages.Count);
        Assert.All(pages.Take(20), p => Assert.Equal(1000, p.GetProperty("returned").GetInt32()));
        Assert.Equal(0, pages[20].GetProperty("returned").GetInt32());
        Assert.All(pages, p => Assert.Equal(20_000, p.GetProperty("total").GetInt64()));
        var events = pages.SelectMany(p => p.GetProperty("events").EnumerateArray()).ToList();
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (long)i), events.Select(e => e.GetProperty("iter").GetInt64()));
        Assert.Equal(Enumerable.Range(0, 20_000).Select(CurveValue), events.Select(e => e.GetProperty("value").GetDouble()));
        var first = events[0];
        Assert.Equal("training_stats_scalar", first.GetProperty("type").GetString());
        Assert.Equal(task, first.GetProperty("task").GetString());
        Assert.Equal("loss", first.GetProperty("metric").GetString());
        Assert.Equal("train", first.GetProperty("variant").GetString());
        Assert.Equal(T0, first.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public async Task A_long_curve_is_downsampled_in_the_histogram_to_at_most_the_requested_samples()
    {
        var (client, task) = await RunningTaskAsync();
        await ReportCurveAsync(client, task, 20_000);

        var curve = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, key = "iter", samples = 500, model_events = false }))
            .Ok().GetProperty("loss").GetProperty("train");
        var byDefault = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, key = "iter" }))
            .Ok().GetProperty("loss").GetProperty("train");

        var x = Longs(curve.GetProperty("x"));
        var y = Doubles(curve.GetProperty("y"));
        Assert.Equal("train", curve.GetProperty("name").GetString());
        Assert.InRange(x.Length, 400, 500);
        Assert.Equal(x.Length, y.Length);
        Assert.Equal(x.Order(), x);
        Assert.Equal(0, x[0]);
        var width = (int)x[1];
        Assert.Equal(Enumerable.Range(0, width).Select(CurveValue).Average(), y[0], 9);
        Assert.InRange(Longs(byDefault.GetProperty("x")).Length, 1000, 2000);
    }

    [Fact]
    public async Task Scrolling_every_event_type_passes_from_scalars_to_the_other_events_without_loss_in_either_order()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync(
        [
            .. Enumerable.Range(0, 4).Select(i => Scalar(task, "a", "x", i, i)),
            .. Enumerable.Range(0, 3).Select(i => Scalar(task, "b", "y", i, i)),
            .. Enumerable.Range(0, 4).Select(i => Log(task, $"line {i}", T0 + i)),
        ])).Ok();

        async Task<List<string>> ScrollAsync(string order)
        {
            var seen = new List<string>();
            string? scrollId = null;
            for (var returned = 3; returned == 3;)
            {
                var page = (await client.CallAsync("events.get_task_events", new { task, order, batch_size = 3, scroll_id = scrollId })).Ok();
                Assert.Equal(11, page.GetProperty("total").GetInt64());
                returned = page.GetProperty("returned").GetInt32();
                seen.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.TryGetProperty("msg", out var msg)
                    ? msg.GetString()!
                    : $"{e.GetProperty("metric").GetString()}{e.GetProperty("iter").GetInt64()}"));
                scrollId = page.GetProperty("scroll_id").GetString();
            }
            return seen;
        }

        var ascending = await ScrollAsync("asc");
        var descending = await ScrollAsync("desc");

        Assert.Equal(["a0", "a1", "a2", "a3", "b0", "b1", "b2", "line 0", "line 1", "line 2", "line 3"], ascending);
        Assert.Equal(["b2", "b1", "b0", "a3", "a2", "a1", "a0", "line 3", "line 2", "line 1", "line 0"], descending);
    }

    [Fact]
    public async Task The_histogram_of_a_short_curve_is_exactly_what_was_sent_without_single_values()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync(
        [
            Scalar(task, "loss", "train", 2, 0.5), Scalar(task, "loss", "train", 0, 1.5), Scalar(task, "loss", "train", 1, 1.0),
            Scalar(task, "loss", "val", 1, 2.0),
            Scalar(task, "Summary", "accuracy", SingleValueIteration, 0.93),
        ])).Ok();

        var data = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, key = "iter" })).Ok();
        var byTime = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, key = "timestamp" })).Ok();
        var byIso = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, key = "iso_time" })).Ok();

        var train = data.GetProperty("loss").GetProperty("train");
        Assert.Equal([0L, 1, 2], Longs(train.GetProperty("x")));
        Assert.Equal([1.5, 1.0, 0.5], Doubles(train.GetProperty("y")));
        Assert.Equal([1L], Longs(data.GetProperty("loss").GetProperty("val").GetProperty("x")));
        Assert.False(data.TryGetProperty("Summary", out _));
        Assert.Equal([T0, T0 + 1, T0 + 2], Longs(byTime.GetProperty("loss").GetProperty("train").GetProperty("x")));
        Assert.Equal(
            DateTimeOffset.FromUnixTimeMilliseconds(T0).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            byIso.GetProperty("loss").GetProperty("train").GetProperty("x")[0].GetString());
    }

    [Fact]
    public async Task Metric_listings_latest_values_and_raw_points_describe_what_was_reported()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync(
        [
            .. Enumerable.Range(0, 150).Select(i => Scalar(task, "loss", "train", i, i)),
            Scalar(task, "acc", "val", 3, 0.7),
            Log(task, "hello", T0),
            new { type = "plot", task, iter = 1, metric = "confusion", variant = "v", plot_str = "{}" },
        ])).Ok();

        var variants = (await client.CallAsync("events.get_scalar_metrics_and_variants", new { task })).Ok().GetProperty("metrics");
        var scalarNames = (await client.CallAsync("events.get_task_metrics", new { tasks = new[] { task }, event_type = "training_stats_scalar" })).Ok();
        var allNames = (await client.CallAsync("events.get_task_metrics", new { tasks = new[] { task } })).Ok();
        var latest = (await client.CallAsync("events.get_task_latest_scalar_values", new { task })).Ok();
        var raw = (await client.CallAsync("events.scalar_metrics_iter_raw", new { task, metric = new { metric = "loss" }, batch_size = 100, count_total = true })).Ok();
        var rawRest = (await client.CallAsync("events.scalar_metrics_iter_raw",
            new { task, metric = new { metric = "loss" }, batch_size = 100, scroll_id = raw.GetProperty("scroll_id").GetString() })).Ok();
        var everything = (await client.CallAsync("events.get_task_events", new { task })).Ok();

        Assert.Equal(["train"], variants.GetProperty("loss").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["acc", "loss"], scalarNames.GetProperty("metrics")[0].GetProperty("metrics").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(task, allNames.GetProperty("metrics")[0].GetProperty("task").GetString());
        Assert.Equal(["acc", "confusion", "loss"], allNames.GetProperty("metrics")[0].GetProperty("metrics").EnumerateArray().Select(m => m.GetString()));
        var loss = latest.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "loss").GetProperty("variants")[0];
        Assert.Equal(149, loss.GetProperty("last_value").GetDouble());
        Assert.Equal(Enumerable.Range(50, 100).Average(), loss.GetProperty("last_100_value").GetDouble());
        Assert.Equal("t", latest.GetProperty("name").GetString());
        Assert.Equal(150, raw.GetProperty("total").GetInt64());
        Assert.Equal(100, raw.GetProperty("returned").GetInt32());
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), Longs(raw.GetProperty("variants").GetProperty("train").GetProperty("iter")));
        Assert.Equal(Enumerable.Range(100, 50).Select(i => (double)i), Doubles(rawRest.GetProperty("variants").GetProperty("train").GetProperty("y")));
        Assert.Equal(153, everything.GetProperty("total").GetInt64());
        Assert.Equal(153, everything.GetProperty("returned").GetInt32());
        Assert.Equal("hello", everything.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "log").GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Console_output_pages_from_the_latest_lines_in_the_requested_order()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync(Enumerable.Range(0, 10).Select(i => Log(task, $"line {i}", T0 + i * 10)))).Ok();

        // get_reported_console_output(3)
        var last = (await client.CallAsync("events.get_task_log", new { task, batch_size = 3, navigate_earlier = true, order = "asc" })).Ok();
        var before = (await client.CallAsync("events.get_task_log", new { task, batch_size = 3, navigate_earlier = true, from_timestamp = T0 + 70 })).Ok();
        var first = (await client.CallAsync("events.get_task_log", new { task, batch_size = 4, navigate_earlier = false })).Ok();

        static string[] Messages(JsonElement data) => data.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("msg").GetString()!).ToArray();
        Assert.Equal(["line 7", "line 8", "line 9"], Messages(last));
        Assert.Equal(3, last.GetProperty("returned").GetInt32());
        Assert.Equal(10, last.GetProperty("total").GetInt64());
        Assert.Equal("info", last.GetProperty("events")[0].GetProperty("level").GetString());
        Assert.Equal(T0 + 70, last.GetProperty("events")[0].GetProperty("timestamp").GetInt64());
        Assert.Equal(["line 6", "line 5", "line 4"], Messages(before));
        Assert.Equal(["line 0", "line 1", "line 2", "line 3"], Messages(first));
    }

    [Fact]
    public async Task Console_lines_sharing_a_timestamp_are_never_split_between_pages()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([Log(task, "a", T0), Log(task, "b", T0 + 5), Log(task, "c", T0 + 5), Log(task, "d", T0 + 9)])).Ok();

        var page = (await client.CallAsync("events.get_task_log", new { task, batch_size = 2, navigate_earlier = true, order = "asc" })).Ok();
        var earlier = (await client.CallAsync("events.get_task_log", new { task, batch_size = 2, navigate_earlier = true, from_timestamp = T0 + 5 })).Ok();

        Assert.Equal(["b", "c", "d"], page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("msg").GetString()));
        Assert.Equal(["a"], earlier.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("msg").GetString()));
    }

    [Fact]
    public async Task Plots_read_back_with_the_last_iterations_of_each_plot()
    {
        var (client, task) = await RunningTaskAsync();
        object Plot(string variant, int iter) => new { type = "plot", task, iter, metric = "roc", variant, plot_str = $"{{\"data\": [{iter}]}}", timestamp = T0 + iter };
        (await client.AddEventsAsync([Plot("a", 1), Plot("a", 2), Plot("b", 1)])).Ok();

        // get_reported_plots()
        var latest = (await client.CallAsync("events.get_task_plots", new { task, iters = 1, no_scroll = true })).Ok();
        var two = (await client.CallAsync("events.get_task_plots", new { task, iters = 2, metrics = new[] { new { metric = "roc", variants = new[] { "a" } } } })).Ok();
        var multi = (await client.CallAsync("events.get_multi_task_plots", new { tasks = new[] { task }, iters = 1 })).Ok();

        var plots = latest.GetProperty("plots").EnumerateArray().ToList();
        Assert.Equal(2, latest.GetProperty("returned").GetInt32());
        Assert.Equal("{\"data\": [2]}", plots.Single(p => p.GetProperty("variant").GetString() == "a").GetProperty("plot_str").GetString());
        Assert.Equal(1, plots.Single(p => p.GetProperty("variant").GetString() == "b").GetProperty("iter").GetInt64());
        Assert.Equal([2L, 1], two.GetProperty("plots").EnumerateArray().Select(p => p.GetProperty("iter").GetInt64()));
        var cell = multi.GetProperty("plots").GetProperty("roc").GetProperty("a").GetProperty(task).GetProperty("2");
        Assert.Equal("t", cell.GetProperty("name").GetString());
        Assert.Single(cell.GetProperty("plots").EnumerateArray());
    }

    [Fact]
    public async Task Debug_images_page_down_the_iterations_until_every_task_comes_back_empty()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync(
        [
            .. Enumerable.Range(0, 3).SelectMany(i => new[] { Image(task, "samples", "a", i), Image(task, "samples", "b", i) }),
            Image(task, "other", "a", 5),
        ])).Ok();

        // Task.get_debug_samples("samples", "a", n_last_iterations=2), as the SDK loops.
        var urls = new List<string?>();
        string? scrollId = null;
        var calls = 0;
        while (true)
        {
            var data = (await client.CallAsync("events.debug_images",
                new { metrics = new[] { new { task, metric = "samples", variants = new[] { "a" } } }, iters = 2, scroll_id = scrollId })).Ok();
            calls++;
            var metrics = data.GetProperty("metrics").EnumerateArray().ToList();
            Assert.All(metrics, m => Assert.Equal(task, m.GetProperty("task").GetString()));
            urls.AddRange(metrics.SelectMany(m => m.GetProperty("iterations").EnumerateArray())
                .SelectMany(i => i.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("url").GetString()));
            if (metrics.All(m => m.GetProperty("iterations").GetArrayLength() == 0) || calls > 10)
            {
                break;
            }
            scrollId = data.GetProperty("scroll_id").GetString();
        }

        Assert.Equal(3, calls);
        Assert.Equal(["http://files/samples/a/2.png", "http://files/samples/a/1.png", "http://files/samples/a/0.png"], urls);
    }

    [Fact]
    public async Task Single_values_read_back_by_name_with_the_latest_report_winning()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([Scalar(task, "Summary", "accuracy", SingleValueIteration, 0.5), Scalar(task, "loss", "train", 1, 2.0)])).Ok();
        (await client.AddEventsAsync([Scalar(task, "Summary", "accuracy", SingleValueIteration, 0.93), Scalar(task, "Summary", "f1", SingleValueIteration, 0.8)])).Ok();

        // get_reported_single_values()
        var tasks = (await client.CallAsync("events.get_task_single_value_metrics", new { tasks = new[] { task } })).Ok().GetProperty("tasks");

        Assert.Equal(task, tasks[0].GetProperty("task").GetString());
        Assert.Equal("t", tasks[0].GetProperty("task_name").GetString());
        var values = tasks[0].GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("variant").GetString()!, v => v.GetProperty("value").GetDouble());
        Assert.Equal(new Dictionary<string, double> { ["accuracy"] = 0.93, ["f1"] = 0.8 }, values);
        Assert.Equal("Summary", tasks[0].GetProperty("values")[0].GetProperty("metric").GetString());
    }

    [Fact]
    public async Task Deleting_a_tasks_events_needs_allow_locked_once_it_is_published()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([Scalar(task, "m", "v", 1, 1.0), Log(task, "x", T0)])).Ok();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();
        (await client.CallAsync("tasks.publish", new { task })).Ok();

        (await client.CallAsync("events.delete_for_task", new { task })).AssertError(400, 101);
        var deleted = (await client.CallAsync("events.delete_for_task", new { task, allow_locked = true })).Ok();
        var after = (await client.CallAsync("events.get_task_events", new { task })).Ok();

        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(0, after.GetProperty("total").GetInt64());
        Assert.Equal(0, after.GetProperty("returned").GetInt32());
    }

    [Fact]
    public async Task Clearing_the_log_keeps_the_other_events()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([Scalar(task, "m", "v", 1, 1.0), Log(task, "x", T0), Log(task, "y", T0 + 1)])).Ok();

        var cleared = (await client.CallAsync("events.clear_task_log", new { task })).Ok();
        var log = (await client.CallAsync("events.get_task_log", new { task })).Ok();
        var scalars = (await client.CallAsync("events.get_task_events", new { task, event_type = "training_stats_scalar" })).Ok();

        Assert.Equal(2, cleared.GetProperty("deleted").GetInt32());
        Assert.Equal(0, log.GetProperty("total").GetInt64());
        Assert.Equal(1, scalars.GetProperty("returned").GetInt32());
    }

    [Fact]
    public async Task Another_workspaces_task_cannot_be_read_or_cleared()
    {
        var (owner, task) = await RunningTaskAsync();
        (await owner.AddEventsAsync([Scalar(task, "m", "v", 1, 1.0), Log(task, "secret", T0)])).Ok();
        var keys = await fixture.Factory.CreateTenantAsync();
        var intruder = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);

        (await intruder.CallAsync("events.scalar_metrics_iter_histogram", new { task })).AssertError(400, 101);
        (await intruder.CallAsync("events.get_task_events", new { task })).AssertError(400, 101);
        (await intruder.CallAsync("events.get_task_log", new { task })).AssertError(400, 101);
        (await intruder.CallAsync("events.get_task_single_value_metrics", new { tasks = new[] { task } })).AssertError(400, 101);
        (await intruder.CallAsync("events.debug_images", new { metrics = new[] { new { task, metric = "m" } } })).AssertError(400, 101);
        (await intruder.CallAsync("events.delete_for_task", new { task, allow_locked = true })).AssertError(400, 101);

        Assert.Equal(2, (await owner.CallAsync("events.get_task_events", new { task })).Ok().GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Bad_input_is_answered_with_a_4xx_never_a_500()
    {
        var (client, task) = await RunningTaskAsync();
        (await client.AddEventsAsync([Scalar(task, "m", "v", 1, 1.0)])).Ok();

        (await client.CallAsync("events.get_task_events", new { task, scroll_id = "not a scroll" })).AssertError(400, 1104);
        (await client.CallAsync("events.get_task_events", new { task, scroll_id = "bm9wZQ" })).AssertError(400, 1104);
        (await client.CallAsync("events.get_task_events", new { task, batch_size = 0 })).AssertError(400, 12);
        (await client.CallAsync("events.get_task_events", new { task, order = "sideways" })).AssertError(400, 12);
        (await client.CallAsync("events.get_task_events", new { task, event_type = "nonsense" })).AssertError(400, 12);
        (await client.CallAsync("events.get_task_events", new { task = "not-an-id" })).AssertError(400, 101);
        (await client.CallAsync("events.get_task_events", new { })).AssertError(400, 12);
        (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, samples = 0 })).AssertError(400, 12);
        (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, key = "epoch" })).AssertError(400, 12);
        (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, samples = "many" })).AssertError(400, 12);
        (await client.CallAsync("events.scalar_metrics_iter_raw", new { task })).AssertError(400, 12);
        (await client.CallAsync("events.get_task_log", new { task, from_timestamp = -5 })).AssertError(400, 12);
        (await client.CallAsync("events.get_task_plots", new { task, iters = -1 })).AssertError(400, 12);
        (await client.CallAsync("events.debug_images", new { iters = 1 })).AssertError(400, 12);
        (await client.CallAsync("events.multi_task_scalar_metrics_iter_histogram", new { tasks = Array.Empty<string>() })).AssertError(400, 12);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class EventsReadTestsOnPostgres(PostgresFixture fixture) : EventsReadTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class EventsReadTestsOnSqlite(SqliteFixture fixture) : EventsReadTests(fixture);
