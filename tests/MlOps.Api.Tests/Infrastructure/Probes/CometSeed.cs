namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>The Comet objects of a world: the workspace's name and an experiment in the world's project with a metric.</summary>
public static class CometSeed
{
    public static async Task SeedAsync(World world)
    {
        var comet = world.Comet();
        var workspace = world["workspace"] = (await comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames")[0].GetString()!;
        var experiment = world["experiment"] = (await comet.PostAsync("write/experiment/create",
                new { workspaceName = workspace, projectName = world["projectName"], experimentName = $"{world.Marker}-experiment" }))
            .Ok().GetProperty("experimentKey").GetString()!;
        world["cometMetric"] = $"{world.Marker}-cmetric";
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = experiment, metricName = world["cometMetric"], metricValue = 1, step = 1 })).Ok();
    }
}
