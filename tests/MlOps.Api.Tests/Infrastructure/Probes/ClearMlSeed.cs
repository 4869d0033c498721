using System.Net.Http.Headers;
using System.Text;

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// The ClearML objects of a world: a project (with a sub-project) holding a task (parameters, scalars, a log), a model,
/// a default queue, a file; a pipeline controller queued in the queue with one started run after it, an output model
/// of the controller (not ready), a live worker on the queue that reported its machine, the user's id, its token and
/// access key, and a prepared CSV export of the project's models.
/// </summary>
public static class ClearMlSeed
{
    public static async Task SeedAsync(World world)
    {
        var marker = world.Marker;
        var token = Guid.NewGuid().ToString("N")[..12];
        var clearMl = world.ClearMl();
        world["projectName"] = $"project-{token}";
        world["project"] = (await clearMl.CallAsync("projects.create", new { name = world["projectName"], description = $"{marker}-project" }))
            .Ok().GetProperty("id").GetString()!;
        var task = world["task"] = await clearMl.CreateTaskAsync(world["project"], $"{marker}-task");
        world["dashedTask"] = Guid.Parse(task).ToString("D");
        (await clearMl.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "Args", name = "p", value = $"{marker}-param" } } })).Ok();
        (await clearMl.AddEventsAsync([
            new { type = "training_stats_scalar", task, iter = 1, metric = $"{marker}-metric", variant = "v", value = 1.0, timestamp = 1_790_000_000_000 },
            new { type = "log", task, level = "info", worker = "w", msg = $"{marker}-log", timestamp = 1_790_000_000_000 },
        ])).Ok();
        world["metric"] = $"{marker}-metric";
        world["model"] = (await clearMl.CallAsync("models.create", new { name = $"{marker}-model", uri = "http://files/m.bin", project = world["project"], task }))
            .Ok().GetProperty("id").GetString()!;
        var queue = world["queue"] = (await clearMl.CallAsync("queues.create", new { name = $"{marker}-queue", system_tags = new[] { "default" } }))
            .Ok().GetProperty("id").GetString()!;
        var path = world["path"] = $"files-{token}/data.txt";
        var upload = new HttpRequestMessage(HttpMethod.Post, "/files")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes($"{marker}-file")), path, path } },
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", world.Caller.ClearMlToken) },
        };
        (await clearMl.SendAsync(upload)).Ok();

        world["token"] = world.Caller.ClearMlToken;
        world["accessKey"] = world.Keys.AccessKey;
        world["user"] = (await clearMl.CallAsync("users.get_current_user")).Ok().GetProperty("user").GetProperty("id").GetString()!;
        world["subproject"] = (await clearMl.CallAsync("projects.create", new { name = $"{world["projectName"]}/sub", description = $"{marker}-subproject" }))
            .Ok().GetProperty("id").GetString()!;
        // The controller waits at the head of the queue (an agent's get_next_task takes it), its started run after it.
        var controller = world["controller"] = await clearMl.CreateTaskAsync(world["project"], $"{marker}-pipeline", "controller");
        (await clearMl.CallAsync("queues.add_task", new { queue, task = controller })).Ok();
        world["pipelineRun"] = (await clearMl.CallAsync("pipelines.start_pipeline", new { task = controller, queue, args = new[] { new { name = "epochs", value = "1" } } }))
            .Ok().GetProperty("pipeline").GetString()!;
        world["outputModel"] = (await clearMl.CallAsync("models.update_for_task", new { task = controller, uri = "file:///tmp/controller.pt" }))
            .Ok().GetProperty("id").GetString()!;
        var worker = world["worker"] = $"{marker}-agent:0";
        (await clearMl.CallAsync("workers.register", new { worker, queues = new[] { queue }, timeout = 3600 })).Ok();
        (await clearMl.CallAsync("workers.status_report", new { worker, queues = new[] { queue }, timestamp = 1_795_000_000_000, machine_stats = new { cpu_usage = new[] { 25.0 }, memory_used = 1024.0 } })).Ok();
        world["prepareId"] = (await clearMl.CallAsync("organization.prepare_download_for_get_all", new
        {
            entity_type = "model",
            project = new[] { world["project"] },
            only_fields = new[] { "id", "name", "framework" },
            field_mappings = new[] { new { field = "name", name = "Name" }, new { field = "framework", name = "Framework" } },
        })).Ok().GetProperty("prepare_id").GetString()!;
    }
}
