using System.Net.Http.Headers;
using System.Text;

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>The ClearML objects of a world: a project with a task (parameters, scalars, a log), a model, a queue, a file.</summary>
public static class ClearMlSeed
{
    public static async Task SeedAsync(World world)
    {
        var marker = world.Marker;
        var token = Guid.NewGuid().ToString("N")[..12];
        var clearMl = world.ClearMl();
        world["projectName"] = $"project-{token}";
        world["project"] = await clearMl.CreateProjectAsync(world["projectName"]);
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
        world["queue"] = (await clearMl.CallAsync("queues.create", new { name = $"{marker}-queue" })).Ok().GetProperty("id").GetString()!;
        var path = world["path"] = $"files-{token}/data.txt";
        var upload = new HttpRequestMessage(HttpMethod.Post, "/files")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes($"{marker}-file")), path, path } },
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", world.Caller.ClearMlToken) },
        };
        (await clearMl.SendAsync(upload)).Ok();
    }
}
