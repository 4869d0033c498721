using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

/// <summary>Remote assets, multipart metadata and artifact labels, sent as comet_ml sends them.</summary>
public abstract class CometRemoteAssetsTests(IServerFixture fixture)
{
    private async Task<(CometClient Comet, string Key, string Workspace)> ExperimentAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "remote" })).Ok().GetProperty("experimentKey").GetString()!;
        return (comet, key, workspace);
    }

    /// <summary>requests_toolbelt's MultipartEncoder: a <c>(name, data)</c> tuple is a part with a file name, a string a plain field.</summary>
    private static ByteArrayContent FilePart(string text, string fileName)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"link\"", FileName = $"\"{fileName}\"" };
        return part;
    }

    [Fact]
    public async Task A_remote_upload_has_no_file_and_is_listed_with_its_link_name_type_and_metadata()
    {
        var (comet, key, _) = await ExperimentAsync();
        var assetId = Guid.NewGuid().ToString("N");
        var upload = new HttpRequestMessage(HttpMethod.Post,
            $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&assetId={assetId}&fileName=data/train.parquet&isRemote=True&overwrite=False&step=3&type=dataset")
        {
            Content = new MultipartFormDataContent
            {
                FilePart("s3://bucket/data/train.parquet", "link"),
                { new StringContent("{\"rows\":10}"), "metadata" },
            },
        };

        Assert.Equal(assetId, (await comet.SendAsync(upload)).Ok().GetProperty("assetId").GetString());

        var asset = Assert.Single((await comet.GetAsync($"experiment/asset/list?experimentKey={key}&type=all")).Ok().GetProperty("assets").EnumerateArray());
        Assert.True(asset.GetProperty("remote").GetBoolean());
        Assert.Equal("s3://bucket/data/train.parquet", asset.GetProperty("link").GetString());
        Assert.Equal("data/train.parquet", asset.GetProperty("fileName").GetString());
        Assert.Equal("dataset", asset.GetProperty("type").GetString());
        Assert.Equal(3, asset.GetProperty("step").GetInt64());
        Assert.Equal("{\"rows\":10}", asset.GetProperty("metadata").GetString());
        var missingLink = new HttpRequestMessage(HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&fileName=x&isRemote=true")
        {
            Content = new MultipartFormDataContent { { new StringContent("{}"), "metadata" } },
        };
        (await comet.SendAsync(missingLink)).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Metadata_sent_as_a_multipart_part_is_stored_with_the_file()
    {
        var (comet, key, _) = await ExperimentAsync();
        var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&fileName=weights.bin&type=model-element")
        {
            Content = new MultipartFormDataContent
            {
                { new ByteArrayContent([1, 2, 3]), "file", "file" },
                { new StringContent("{\"epoch\":5,\"framework\":\"torch\"}"), "metadata" },
            },
        };

        (await comet.SendAsync(upload)).Ok();

        var asset = Assert.Single((await comet.GetAsync($"experiment/asset/list?experimentKey={key}&type=all")).Ok().GetProperty("assets").EnumerateArray());
        Assert.Equal("{\"epoch\":5,\"framework\":\"torch\"}", asset.GetProperty("metadata").GetString());
        Assert.False(asset.GetProperty("remote").GetBoolean());
        var bad = new HttpRequestMessage(HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&fileName=w2.bin")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent([1]), "file", "file" }, { new StringContent("not json"), "metadata" } },
        };
        (await comet.SendAsync(bad)).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_artifacts_remote_files_arrive_as_one_batch_and_are_listed_with_the_version()
    {
        var (comet, key, _) = await ExperimentAsync();
        var versionId = (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = key, artifactName = "images" })).Ok()
            .GetProperty("artifactVersionId").GetString();

        (await comet.PostAsync($"write/artifact/assets/remote/batch?experimentKey={key}", new
        {
            remoteArtifactAssetRequests = new object[]
            {
                new { link = "s3://b/cat.png", type = "asset", metadata = "{\"label\":\"cat\"}", assetId = Guid.NewGuid().ToString("N"), fileName = "cat.png", isRemote = true, overwrite = false, step = (long?)null, context = (string?)null, artifactVersionId = versionId },
                new { link = "s3://b/dog.png", type = (string?)null, metadata = (string?)null, assetId = Guid.NewGuid().ToString("N"), fileName = "dog.png", isRemote = true, overwrite = false, step = (long?)2, context = (string?)null, artifactVersionId = versionId },
            },
        })).Ok();

        var files = (await comet.GetAsync($"artifacts/version/files?versionId={versionId}")).Ok().GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["cat.png", "dog.png"], files.Select(f => f.GetProperty("fileName").GetString()));
        Assert.All(files, f => Assert.True(f.GetProperty("remote").GetBoolean()));
        Assert.Equal("s3://b/cat.png", files[0].GetProperty("link").GetString());
        Assert.Equal("{\"label\":\"cat\"}", files[0].GetProperty("metadata").GetString());
        (await comet.PostAsync($"write/artifact/assets/remote/batch?experimentKey={key}", new { })).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Artifact_tags_and_version_labels_are_replaced_as_logged_artifact_updates_them()
    {
        var (comet, key, workspace) = await ExperimentAsync();
        var first = (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = key, artifactName = "corpus", tags = new[] { "raw" }, alias = new[] { "prod" } })).Ok();
        var second = (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = key, artifactName = "corpus", versionTags = new[] { "v2" } })).Ok();
        var artifactId = first.GetProperty("artifactId").GetString();
        var secondId = second.GetProperty("artifactVersionId").GetString();

        (await comet.PostAsync("write/artifacts/details", new { artifactId, artifactType = (string?)null, versionMetadata = (string?)null, version = (string?)null, tags = new[] { "clean", "en" } })).Ok();
        (await comet.PostAsync("write/artifacts/version/labels", new { alias = new[] { "prod", "best" }, artifactVersionId = secondId, versionMetadata = (string?)null, versionTags = (string[]?)null })).Ok();
        (await comet.PostAsync("write/artifacts/version/labels", new { alias = (string[]?)null, artifactVersionId = secondId, versionMetadata = "{\"ok\":true}", versionTags = new[] { "checked" } })).Ok();

        var details = (await comet.GetAsync($"artifacts/get?artifactName=corpus&workspace={workspace}")).Ok();
        Assert.Equal(["clean", "en"], details.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var versions = details.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(0, versions[0].GetProperty("alias").GetArrayLength());
        Assert.Equal(["prod", "best"], versions[1].GetProperty("alias").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["checked"], versions[1].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("{\"ok\":true}", versions[1].GetProperty("metadata").GetString());
        (await comet.PostAsync("write/artifacts/details", new { artifactId = Guid.NewGuid().ToString("N"), tags = new[] { "x" } })).AssertError(HttpStatusCode.NotFound);
        (await comet.PostAsync("write/artifacts/version/labels", new { artifactVersionId = Guid.NewGuid().ToString("N"), alias = new[] { "x" } })).AssertError(HttpStatusCode.NotFound);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometRemoteAssetsTestsOnPostgres(PostgresFixture fixture) : CometRemoteAssetsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometRemoteAssetsTestsOnSqlite(SqliteFixture fixture) : CometRemoteAssetsTests(fixture);
