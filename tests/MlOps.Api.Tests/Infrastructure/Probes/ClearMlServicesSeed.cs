namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// The ClearML objects beside tasks and models of a world: a draft report in its project.
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
    }
}
