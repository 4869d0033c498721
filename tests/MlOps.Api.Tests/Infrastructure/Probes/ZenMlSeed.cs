using Microsoft.Extensions.DependencyInjection;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// The ZenML objects of a world: a pipeline with a run, a deployment and a schedule; a stack and a component (apart,
/// so the component can be deleted); a service connector; an artifact of the run; a registered model with a version;
/// a step of the run (tagged); a service account; a secret; a code repository; the caller's user (named with the marker) and the world's project (described with it) as ZenML sees them.
/// </summary>
public static class ZenMlSeed
{
    public static async Task SeedAsync(World world)
    {
        var zen = world.ZenMl();
        var marker = world.Marker;
        async Task<string> Create(string path, object body) => (await zen.PostAsync(path, body)).Ok().GetProperty("id").GetString()!;

        // The user every world's credentials belong to (MlOpsFactory.CreateTenantAsync); ZenML logs in with its password,
        // naming the workspace, since every world has an alice.
        world["zenUserName"] = world["workspace"] + "/alice";
        world["zenPassword"] = "alice-password";
        world["zenUser"] = (await zen.PutAsync("/users/alice", new { full_name = $"{marker}-user" })).Ok().GetProperty("id").GetString()!;
        world["zenProject"] = Guid.Parse(world["project"]).ToString("D");
        (await zen.PutAsync($"/projects/{world["zenProject"]}", new { description = $"{marker}-project" })).Ok();

        var pipeline = world["pipeline"] = await Create("/pipelines", new { name = $"{marker}-pipeline", project_id = world["zenProject"] });
        world["component"] = await Create("/components", new { name = $"{marker}-component", type = "orchestrator", flavor = "local" });
        var stack = world["stack"] = await Create("/stacks", new { name = $"{marker}-stack", description = $"{marker}-stack" });
        world["connector"] = await Create("/service_connectors",
            new { name = $"{marker}-connector", connector_type = "aws", auth_method = "secret-key", resource_types = new[] { "s3-bucket" } });
        var run = world["run"] = await Create("/runs", new { name = $"{marker}-run", pipeline_id = pipeline, stack_id = stack, status = "running" });
        world["flavor"] = (await zen.GetAsync("/flavors?type=orchestrator&name=local")).Ok().GetProperty("items")[0].GetProperty("id").GetString()!;
        world["zenStep"] = await Create("/steps", new { name = $"{marker}-step", pipeline_run_id = run, status = "completed" });
        var (account, _) = await world.Factory.Services.GetRequiredService<TenantAdmin>().CreateServiceAccountAsync(
            await TenantRows.WorkspaceIdAsync(world.Factory, world["workspace"]), $"{marker}-account", Guid.Parse(world["zenUser"]), CancellationToken.None);
        world["zenServiceAccount"] = account.Id.ToString("D");
        world["zenArtifact"] = await Create("/artifacts",
            new { name = $"{marker}-artifact", type = "DataFrame", uri = "s3://bucket/features/1", producer_step_run_id = run });
        world["deployment"] = await Create("/deployments", new { pipeline_id = pipeline, stack_id = stack, status = $"{marker}-ready" });
        world["schedule"] = await Create("/schedules", new { name = $"{marker}-schedule", cron_expression = "0 2 * * *", pipeline_id = pipeline });
        world["secret"] = await Create("/secrets", new { name = $"{marker}-secret", values = new { key = $"{marker}-secret-value" } });
        var tagged = (await zen.PutAsync($"/runs/{run}", new { add_tags = new[] { $"{marker}-tag" } })).Ok();
        world["zenTag"] = tagged.GetProperty("resources").GetProperty("tags")[0].GetProperty("id").GetString()!;
        world["codeRepository"] = await Create("/code_repositories", new
        {
            name = $"{marker}-repository", project = world["zenProject"], description = $"{marker}-repository",
            source = new { module = "zenml.integrations.github.code_repositories", attribute = "GitHubCodeRepository", type = "internal" },
            config = new { owner = "acme", repository = "pipelines" },
        });
        world["registered"] = await Create("/models", new { name = $"{marker}-registered" });
        world["modelVersion"] = await Create("/model_versions", new { model_id = world["registered"], name = "1.0.0", description = $"{marker}-version" });
    }
}
