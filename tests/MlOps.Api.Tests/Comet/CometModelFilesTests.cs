using System.IO.Compression;
using System.Net;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

public abstract class CometModelFilesTests(IServerFixture fixture)
{
    private static HttpRequestMessage Upload(string key, byte[] bytes, string fileName, string query) => new(
        HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&fileName={fileName}{query}")
    {
        Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } },
    };

    private static Dictionary<string, byte[]> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var content = new MemoryStream();
            e.Open().CopyTo(content);
            return content.ToArray();
        });
    }

    [Fact]
    public async Task Logged_model_files_list_download_as_a_zip_and_through_the_registry_and_clearml_sees_the_model()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "models" })).Ok().GetProperty("experimentKey").GetString()!;
        var weights = Encoding.UTF8.GetBytes("weights " + Guid.NewGuid());
        var config = Encoding.UTF8.GetBytes("{\"layers\": 3}");

        (await comet.SendAsync(Upload(key, weights, "weights.pt", "&type=model-element&groupingName=net"))).Ok();
        (await comet.SendAsync(Upload(key, config, "config.json", "&type=model-element&groupingName=net"))).Ok();

        var model = Assert.Single((await comet.GetAsync($"experiment/model?experimentKey={key}")).Ok().GetProperty("models").EnumerateArray());
        Assert.Equal("net", model.GetProperty("modelName").GetString());
        var files = (await comet.GetAsync($"experiment/model/asset/list?experimentKey={key}&modelName=net")).Ok().GetProperty("assets");
        Assert.Equal(["config.json", "weights.pt"], files.EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).Order());
        var zip = Unzip(await comet.DownloadAsync($"experiment/model/download?experimentKey={key}&modelName=net"));
        Assert.Equal(weights, zip["weights.pt"]);
        Assert.Equal(config, zip["config.json"]);

        var modelId = model.GetProperty("experimentModelId").GetString();
        (await comet.PostAsync("write/registry-model", new { experimentModelId = modelId, registryModelName = "net-prod", version = "1.0.0", stages = new[] { "production" } })).Ok();
        var registryZip = Unzip(await comet.DownloadAsync($"registry-model/item/download?workspaceName={workspace}&modelName=net-prod&stage=production"));
        Assert.Equal(weights, registryZip["weights.pt"]);

        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var clearMlModel = Assert.Single((await clearMl.CallAsync("models.get_all", new { task = new[] { key } })).Ok().GetProperty("models").EnumerateArray());
        Assert.Equal(modelId, clearMlModel.GetProperty("id").GetString());
        Assert.Equal("net", clearMlModel.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_models_and_models_without_files_are_not_found()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "models" })).Ok().GetProperty("experimentKey").GetString()!;

        (await comet.GetAsync($"experiment/model/asset/list?experimentKey={key}&modelName=nothing")).AssertError(HttpStatusCode.NotFound);
        (await comet.GetAsync($"experiment/model/download?experimentKey={key}&modelName=nothing")).AssertError(HttpStatusCode.NotFound);
        (await comet.GetAsync($"experiment/model/download?experimentKey={key}")).AssertError(HttpStatusCode.BadRequest);
        (await comet.GetAsync($"registry-model/item/download?workspaceName={workspace}&modelName=nothing")).AssertError(HttpStatusCode.NotFound);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometModelFilesTestsOnPostgres(PostgresFixture fixture) : CometModelFilesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometModelFilesTestsOnSqlite(SqliteFixture fixture) : CometModelFilesTests(fixture);
