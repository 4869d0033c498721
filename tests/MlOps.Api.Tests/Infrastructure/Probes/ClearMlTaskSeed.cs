namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// The objects the ClearML tasks.* and events.* probes need beyond <see cref="ClearMlSeed"/>'s: on <c>$task</c> a
/// configuration, an artifact, an output model, two debug images, a plot, a vector and a single value (and
/// <c>$imageScroll</c> and <c>$plotScroll</c>, where the image and plot viewers stand on the first image and plot); <c>$stoppedTask</c>, run and stopped (to publish, close, fail,
/// complete or reset); <c>$queuedTask</c>, waiting in <c>$queue</c> (to dequeue or stop).
/// </summary>
public static class ClearMlTaskSeed
{
    public static async Task SeedAsync(World world)
    {
        var marker = world.Marker;
        var clearMl = world.ClearMl();
        var task = world["task"];
        (await clearMl.CallAsync("tasks.edit", new
        {
            task,
            configuration = new Dictionary<string, object> { ["General"] = new { name = "General", value = $"{marker}-config", type = "dictionary" } },
            execution = new { artifacts = new[] { new { key = "stats", type = "dict", mode = "output", uri = $"http://files/{marker}/stats.json", hash = "h1" } } },
            models = new { output = new[] { new { name = "weights", model = world["model"] } } },
        })).Ok();
        (await clearMl.AddEventsAsync([
            new { type = "training_debug_image", task, iter = 1, metric = "samples", variant = "a", key = "samples/a/1", url = $"http://files/{marker}/a/1.png", timestamp = 1_790_000_000_000 },
            new { type = "training_debug_image", task, iter = 1, metric = "samples", variant = "b", key = "samples/b/1", url = $"http://files/{marker}/b/1.png", timestamp = 1_790_000_000_000 },
            new { type = "plot", task, iter = 1, metric = "confusion", variant = "v", plot_str = $"{{\"data\": [\"{marker}-plot\"]}}", timestamp = 1_790_000_000_000 },
            new { type = "training_stats_scalar", task, iter = int.MinValue, metric = "Summary", variant = "accuracy", value = 0.9, timestamp = 1_790_000_000_000 },
            new { type = "training_stats_vector", task, iter = 1, metric = "weights", variant = "layer1", values = new[] { 0.1, 0.2 }, timestamp = 1_790_000_000_000 },
        ])).Ok();
        world["plotScroll"] = (await clearMl.CallAsync("events.get_plot_sample", new { task, metric = "confusion", navigate_current_metric = false }))
            .Ok().GetProperty("scroll_id").GetString()!;
        world["imageScroll"] = (await clearMl.CallAsync("events.get_debug_image_sample", new { task, metric = "samples", variant = "a", navigate_current_metric = true }))
            .Ok().GetProperty("scroll_id").GetString()!;

        var stopped = world["stoppedTask"] = await clearMl.CreateTaskAsync(world["project"], $"{marker}-stopped");
        (await clearMl.CallAsync("tasks.started", new { task = stopped })).Ok();
        (await clearMl.CallAsync("tasks.stopped", new { task = stopped, status_reason = "user aborted" })).Ok();

        var queued = world["queuedTask"] = await clearMl.CreateTaskAsync(world["project"], $"{marker}-queued");
        (await clearMl.CallAsync("tasks.enqueue", new { task = queued, queue = world["queue"] })).Ok();
    }
}
