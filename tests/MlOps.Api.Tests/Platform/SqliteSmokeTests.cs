using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

/// <summary>The embedded default: no database server, just a directory.</summary>
public sealed class SqliteSmokeTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "mlops-sqlite-" + Guid.NewGuid().ToString("N"));
    private MlOpsFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new MlOpsFactory("Sqlite", "", _dataDir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Projects_and_tasks_round_trip_on_the_embedded_database()
    {
        var client = await _factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var project = await client.CreateProjectAsync("sqlite/nested");
        var task = await client.CreateTaskAsync(project, "t", tags: ["a"]);
        (await client.CallAsync("tasks.started", new { task })).Ok();
        (await client.CallAsync("tasks.edit", new { task, force = true, hyperparams = new { General = new { lr = new { section = "General", name = "lr", value = "0.1", type = "float" } } } })).Ok();

        var found = (await client.CallAsync("tasks.get_all", new { project = new[] { project }, tags = new[] { "a" }, name = "^t$" })).Ok().GetProperty("tasks");
        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");

        Assert.Equal(task, found[0].GetProperty("id").GetString());
        Assert.Equal("in_progress", doc.GetProperty("status").GetString());
        Assert.Equal("0.1", doc.GetProperty("hyperparams").GetProperty("General").GetProperty("lr").GetProperty("value").GetString());
        Assert.EndsWith("+00:00", doc.GetProperty("created").GetString());
        var tags = (await client.CallAsync("projects.get_task_tags", new { projects = new[] { project }, include_system = true })).Ok();
        Assert.Equal(["a"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("lr", (await client.CallAsync("projects.get_hyper_parameters", new { project })).Ok().GetProperty("parameters")[0].GetProperty("name").GetString());
        var queue = (await client.CallAsync("queues.create", new { name = "q" })).Ok().GetProperty("id").GetString();
        var draft = await client.CreateTaskAsync(project, "queued");
        (await client.CallAsync("tasks.enqueue", new { task = draft, queue })).Ok();
        (await client.CallAsync("workers.register", new { worker = "w1", queues = new[] { queue } })).Ok();
        Assert.Equal(draft, (await client.CallAsync("queues.get_next_task", new { queue })).Ok().GetProperty("entry").GetProperty("task").GetString());
        Assert.Single((await client.CallAsync("workers.get_all", new { })).Ok().GetProperty("workers").EnumerateArray());
        Assert.True(File.Exists(Path.Combine(_dataDir, "mlops.db")));
        Assert.Equal("Healthy", await _factory.CreateClient().GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task Reported_events_read_back_on_the_embedded_database()
    {
        var client = await _factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("sqlite-events"), "t");
        (await client.AddEventsAsync(
        [
            .. Enumerable.Range(0, 30).Select(i => new { type = "training_stats_scalar", task, iter = i, metric = "loss", variant = "train", value = (double)i, timestamp = 1_790_000_000_000 + i }),
            new { type = "training_stats_scalar", task, iter = int.MinValue, metric = "Summary", variant = "acc", value = 0.9, timestamp = 1_790_000_000_000 },
            new { type = "log", task, level = "info", msg = "hello", timestamp = 1_790_000_000_000 },
            new { type = "plot", task, iter = 3, metric = "p", variant = "v", plot_str = "{}" },
            new { type = "training_debug_image", task, iter = 3, metric = "img", variant = "v", url = "http://files/img.png" },
        ])).Ok();

        var curve = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, samples = 10 })).Ok().GetProperty("loss").GetProperty("train");
        var page = (await client.CallAsync("events.get_task_events", new { task, batch_size = 20 })).Ok();
        var rest = (await client.CallAsync("events.get_task_events", new { task, batch_size = 20, scroll_id = page.GetProperty("scroll_id").GetString() })).Ok();
        var latest = (await client.CallAsync("events.get_task_latest_scalar_values", new { task })).Ok();
        var single = (await client.CallAsync("events.get_task_single_value_metrics", new { tasks = new[] { task } })).Ok();
        var log = (await client.CallAsync("events.get_task_log", new { task, batch_size = 5, from_timestamp = 1_790_000_000_001 })).Ok();
        var plots = (await client.CallAsync("events.get_task_plots", new { task })).Ok();
        var images = (await client.CallAsync("events.debug_images", new { metrics = new[] { new { task, metric = "img" } } })).Ok();

        Assert.Equal(10, curve.GetProperty("x").GetArrayLength());
        Assert.Equal(34, page.GetProperty("total").GetInt64());
        Assert.Equal(14, rest.GetProperty("returned").GetInt32());
        Assert.Equal(14.5, latest.GetProperty("metrics")[0].GetProperty("variants")[0].GetProperty("last_100_value").GetDouble());
        Assert.Equal(0.9, single.GetProperty("tasks")[0].GetProperty("values")[0].GetProperty("value").GetDouble());
        Assert.Equal(1, log.GetProperty("returned").GetInt32());
        Assert.Equal(1, plots.GetProperty("returned").GetInt32());
        Assert.Equal(3, images.GetProperty("metrics")[0].GetProperty("iterations")[0].GetProperty("iter").GetInt64());
    }
}
