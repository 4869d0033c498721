namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>The ZenML objects of a world: a pipeline, a secret and a registered model.</summary>
public static class ZenMlSeed
{
    public static async Task SeedAsync(World world)
    {
        var zen = world.ZenMl();
        world["pipeline"] = (await zen.PostAsync("/pipelines", new { name = $"{world.Marker}-pipeline" })).Ok().GetProperty("id").GetString()!;
        world["secret"] = (await zen.PostAsync("/secrets", new { name = $"{world.Marker}-secret", values = new { key = $"{world.Marker}-secret-value" } }))
            .Ok().GetProperty("id").GetString()!;
        world["registered"] = (await zen.PostAsync("/models", new { name = $"{world.Marker}-registered" })).Ok().GetProperty("id").GetString()!;
    }
}
