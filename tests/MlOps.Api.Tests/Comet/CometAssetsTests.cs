using System.Net;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

public abstract class CometAssetsTests(IServerFixture fixture)
{
    private async Task<(CometClient Comet, string Key, string ApiKey)> ExperimentAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "assets" })).Ok().GetProperty("experimentKey").GetString()!;
        return (comet, key, keys.ApiKey);
    }

    private static HttpRequestMessage Upload(string key, byte[] bytes, string fileName, string query = "") => new(
        HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&fileName={fileName}{query}")
    {
        Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } },
    };

    [Fact]
    public async Task An_uploaded_asset_is_listed_and_downloads_with_the_same_bytes()
    {
        var (comet, key, apiKey) = await ExperimentAsync();
        var bytes = Encoding.UTF8.GetBytes("weights " + Guid.NewGuid());
        var metadata = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"epoch\": 3}"));

        var uploaded = (await comet.SendAsync(Upload(key, bytes, "model.bin", $"&step=7&context=train&type=model-element&metadata={metadata}"))).Ok();
        var assetId = uploaded.GetProperty("assetId").GetString();

        var asset = Assert.Single((await comet.GetAsync($"experiment/asset/list?experimentKey={key}&type=all")).Ok().GetProperty("assets").EnumerateArray());
        Assert.Equal(assetId, asset.GetProperty("assetId").GetString());
        Assert.Equal("model.bin", asset.GetProperty("fileName").GetString());
        Assert.Equal(bytes.Length, asset.GetProperty("fileSize").GetInt64());
        Assert.Equal(7, asset.GetProperty("step").GetInt64());
        Assert.Equal("train", asset.GetProperty("runContext").GetString());
        Assert.Contains("epoch", asset.GetProperty("metadata").GetString());
        using var http = fixture.Factory.CreateClient();
        var download = new HttpRequestMessage(HttpMethod.Get, $"/api/rest/v2/experiment/asset/get-asset?experimentKey={key}&assetId={assetId}");
        download.Headers.TryAddWithoutValidation("Authorization", apiKey);
        var response = await http.SendAsync(download);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Overwrite_replaces_by_file_name_tags_change_and_delete_removes()
    {
        var (comet, key, _) = await ExperimentAsync();
        var first = (await comet.SendAsync(Upload(key, [1, 2, 3], "data.csv"))).Ok().GetProperty("assetId").GetString();

        var second = (await comet.SendAsync(Upload(key, [4, 5], "data.csv", "&overwrite=true"))).Ok().GetProperty("assetId").GetString();
        (await comet.PostAsync("write/experiment/asset/tag", new { experimentKey = key, assetId = first, tags = new[] { "raw", "v1" } })).Ok();
        (await comet.GetAsync($"write/experiment/asset/tag/delete?experimentKey={key}&assetId={first}&tag=v1")).Ok();
        (await comet.PostAsync($"write/experiment/assets/remote/batch?experimentKey={key}", new { remoteAssets = new[] { new { assetId = "remote-1", type = "dataset", fileName = "s3.txt", link = "s3://bucket/s3.txt" } } })).Ok();

        Assert.Equal(first, second);
        var assets = (await comet.GetAsync($"experiment/asset/list?experimentKey={key}")).Ok().GetProperty("assets").EnumerateArray().ToList();
        Assert.Equal(2, assets.Count);
        var csv = assets.Single(a => a.GetProperty("assetId").GetString() == first);
        Assert.Equal(2, csv.GetProperty("fileSize").GetInt64());
        Assert.Equal(["raw"], csv.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("s3://bucket/s3.txt", assets.Single(a => a.GetProperty("remote").GetBoolean()).GetProperty("link").GetString());
        (await comet.PostAsync($"write/experiment/asset/delete?experimentKey={key}&assetId={first}", new { })).Ok();
        Assert.Single((await comet.GetAsync($"experiment/asset/list?experimentKey={key}")).Ok().GetProperty("assets").EnumerateArray());
        (await comet.GetAsync($"experiment/asset/get-asset?experimentKey={key}&assetId={first}")).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_uploads_are_refused()
    {
        var (comet, key, _) = await ExperimentAsync();

        (await comet.SendAsync(Upload(Guid.NewGuid().ToString("N"), [1], "x.bin"))).AssertError(HttpStatusCode.NotFound);
        (await comet.SendAsync(Upload(key, [1], "x.bin", "&step=soon"))).AssertError(HttpStatusCode.BadRequest);
        (await comet.SendAsync(Upload(key, [1], "x.bin", "&metadata=%%%"))).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync($"write/experiment/upload-asset?experimentKey={key}", new { not = "multipart" })).AssertError(HttpStatusCode.BadRequest);
        Assert.Empty((await comet.GetAsync($"experiment/asset/list?experimentKey={key}")).Ok().GetProperty("assets").EnumerateArray());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometAssetsTestsOnPostgres(PostgresFixture fixture) : CometAssetsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometAssetsTestsOnSqlite(SqliteFixture fixture) : CometAssetsTests(fixture);
