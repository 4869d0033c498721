using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

public abstract class CometRegistryTests(IServerFixture fixture)
{
    [Fact]
    public async Task A_clearml_output_model_is_a_comet_experiment_model_that_the_registry_versions()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var project = await clearMl.CreateProjectAsync("registry");
        var task = await clearMl.CreateTaskAsync(project, "train");
        var model = (await clearMl.CallAsync("models.create", new { name = "resnet", uri = "http://files/resnet.pt", project, task, ready = false })).Ok().GetProperty("id").GetString();

        var experimentModels = (await comet.GetAsync($"experiment/model?experimentKey={task}")).Ok().GetProperty("models");
        Assert.Equal(model, Assert.Single(experimentModels.EnumerateArray()).GetProperty("experimentModelId").GetString());

        var created = (await comet.PostAsync("write/registry-model", new { experimentModelId = model, registryModelName = "classifier", description = "cnn", isPublic = false, version = "1.0.0", comment = "first", stages = new[] { "staging" } })).Ok();
        var firstItem = created.GetProperty("registryModelItemId").GetString();
        (await comet.PostAsync("write/registry-model/item", new { experimentModelId = model, registryModelName = "classifier", version = "1.1.0" })).Ok();
        (await comet.GetAsync($"write/registry-model/item/stage?modelItemId={firstItem}&stage=production")).Ok();
        (await comet.GetAsync($"write/registry-model/item/stage/delete?modelItemId={firstItem}&stage=staging")).Ok();
        (await comet.PostAsync("write/registry-model/notes", new { workspaceName = workspace, registryModelName = "classifier", notes = "ship it" })).Ok();

        var details = (await comet.GetAsync($"registry-model/details?workspaceName={workspace}&modelName=classifier")).Ok();
        Assert.Equal(["1.0.0", "1.1.0"], details.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        var first = details.GetProperty("versions")[0];
        Assert.Equal(["production"], first.GetProperty("stages").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(task, first.GetProperty("experimentModel").GetProperty("experimentKey").GetString());
        Assert.Equal(2, first.GetProperty("experimentModel").GetProperty("registryRecords").GetArrayLength());
        var listed = Assert.Single((await comet.GetAsync($"registry-model?workspaceName={workspace}")).Ok().GetProperty("registryModels").EnumerateArray());
        Assert.Equal("1.1.0", listed.GetProperty("latestVersion").GetProperty("version").GetString());
        Assert.Equal(1, (await comet.GetAsync($"registry-model/count?workspaceName={workspace}")).Ok().GetProperty("registryModelCount").GetInt32());
        Assert.Equal("ship it", (await comet.GetAsync($"registry-model/notes?workspaceName={workspace}&modelName=classifier")).Ok().GetProperty("notes").GetString());

        (await comet.PostAsync("write/registry-model/item", new { experimentModelId = model, registryModelName = "classifier", version = "1.1.0" })).AssertError(HttpStatusCode.Conflict);
        (await comet.PostAsync("write/registry-model/item", new { registryModelName = "nope", version = "1" })).AssertError(HttpStatusCode.NotFound);
        (await comet.GetAsync($"write/registry-model/item/delete?modelItemId={firstItem}")).Ok();
        (await comet.GetAsync($"write/registry-model/delete?workspaceName={workspace}&modelName=classifier")).Ok();
        (await comet.GetAsync($"registry-model/details?workspaceName={workspace}&modelName=classifier")).AssertError(HttpStatusCode.NotFound);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometRegistryTestsOnPostgres(PostgresFixture fixture) : CometRegistryTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometRegistryTestsOnSqlite(SqliteFixture fixture) : CometRegistryTests(fixture);
