using System.Text;

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// The Comet objects of a world: the workspace's name and an experiment in the world's project with a metric, a
/// logged model file (an asset of the experiment and the file of its model <c>$cometModelName</c>), a registry model
/// with one version of that model, an artifact version with a file, a project share link, a panel store, and a team
/// workspace the world's user administers with a service account in it.
/// </summary>
public static class CometSeed
{
    public static async Task SeedAsync(World world)
    {
        var comet = world.Comet();
        var marker = world.Marker;
        var workspace = world["workspace"] = (await comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames")[0].GetString()!;
        var experiment = world["experiment"] = (await comet.PostAsync("write/experiment/create",
                new { workspaceName = workspace, projectName = world["projectName"], experimentName = $"{marker}-experiment" }))
            .Ok().GetProperty("experimentKey").GetString()!;
        world["cometMetric"] = $"{marker}-cmetric";
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = experiment, metricName = world["cometMetric"], metricValue = 1, step = 1 })).Ok();

        // comet_ml's log_model: a file uploaded as a model element, grouped under the model's name.
        var modelName = world["cometModelName"] = $"{marker}-cmodel";
        world["asset"] = (await comet.SendAsync(Upload($"write/experiment/upload-asset?experimentKey={experiment}&fileName={marker}-weights.bin&type=model-element&groupingName={modelName}",
                $"{marker}-weights", $"{marker}-weights.bin")))
            .Ok().GetProperty("assetId").GetString()!;
        world["cometModel"] = (await comet.GetAsync($"experiment/model?experimentKey={experiment}&modelName={modelName}")).Ok()
            .GetProperty("models")[0].GetProperty("experimentModelId").GetString()!;
        var registered = world["registryModel"] = $"{marker}-rmodel";
        var registry = (await comet.PostAsync("write/registry-model", new
        {
            experimentModelId = world["cometModel"], registryModelName = registered, description = $"{marker}-rdescription", isPublic = false,
            version = "1.0.0", comment = $"{marker}-rcomment", stages = new[] { "production" },
        })).Ok();
        world["registryModelId"] = registry.GetProperty("registryModelId").GetString()!;
        world["modelItem"] = registry.GetProperty("registryModelItemId").GetString()!;

        // log_artifact: an upsert opens version 1.0.0, its file is uploaded with the version's id.
        world["artifactName"] = $"{marker}-artifact";
        var artifact = (await comet.PostAsync("write/artifacts/upsert", new
        {
            experimentKey = experiment, artifactName = world["artifactName"], artifactType = "dataset", alias = new[] { "latest" },
        })).Ok();
        world["artifact"] = artifact.GetProperty("artifactId").GetString()!;
        world["artifactVersion"] = artifact.GetProperty("artifactVersionId").GetString()!;
        (await comet.SendAsync(Upload($"write/experiment/upload-asset?experimentKey={experiment}&fileName=rows.csv&artifactVersionId={world["artifactVersion"]}",
            $"{marker}-rows", "rows.csv"))).Ok();

        world["shareCode"] = (await comet.GetAsync($"write/project/add-share-link?projectId={world["project"]}")).Ok().GetProperty("shareCode").GetString()!;
        world["vizInstance"] = $"{marker}-panel";
        (await comet.PostAsync("write/viz-instance/store/save", new { instanceId = world["vizInstance"], projectId = world["project"], store = $"{{\"note\": \"{marker}-store\"}}" })).Ok();

        // A team workspace its creator administers, with a service account.
        var team = world["team"] = (await comet.PostAsync("write/workspace/new", new { name = $"{marker}-team" }))
            .Ok().GetProperty("workspace_name").GetString()!;
        world["serviceAccount"] = $"bot-{Guid.NewGuid().ToString("N")[..12]}"; // sent by name, so without the marker an error may echo
        (await comet.PostAsync("write/service-account", new { name = world["serviceAccount"], teamName = team })).Ok();
        world["cometUser"] = "alice"; // the world's user (MlOpsFactory.CreateTenantAsync)
        world["remoteCall"] = (await comet.PostAsync("write/experiment/rpc/send", new { experimentKey = experiment, functionName = $"{marker}-call", arguments = Array.Empty<object>() }))
            .Ok().GetProperty("callId").GetString()!;
    }

    private static HttpRequestMessage Upload(string pathAndQuery, string content, string fileName) => new(HttpMethod.Post, "/api/rest/v2/" + pathAndQuery)
    {
        Content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", fileName } },
    };
}
