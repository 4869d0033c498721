namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// The ClearML objects beside tasks and models of a world: a draft report in its project, a serving container that
/// reported on an endpoint (id and URL without the marker, since a refusal may echo them), and storage settings.
/// </summary>
public static class ClearMlServicesSeed
{
    public static async Task SeedAsync(World world)
    {
        var clearMl = world.ClearMl();
        world["report"] = (await clearMl.CallAsync("reports.create", new
        {
            name = $"{world.Marker}-report",
            project = world["project"],
            report = $"# {world.Marker}-text",
            tags = new[] { $"{world.Marker}-tag" },
        })).Ok().GetProperty("id").GetString()!;
        var token = Guid.NewGuid().ToString("N")[..12];
        var container = world["container"] = $"container-{token}";
        var url = world["endpointUrl"] = $"http://serving-{token}:8080/serve/model";
        (await clearMl.CallAsync("serving.container_status_report", new
        {
            container_id = container,
            endpoint_name = $"{world.Marker}-endpoint",
            endpoint_url = url,
            model_name = $"{world.Marker}-model",
            requests_num = 3,
            latency_ms = 12,
            machine_stats = new { cpu_usage = new[] { 10.0, 30.0 }, memory_used = 1024.0 },
        })).Ok();
        (await clearMl.CallAsync("storage.set_settings", new { aws = new { key = $"{world.Marker}-key", secret = "secret", region = "us-east-1" } })).Ok();
    }
}
