using System.IO.Compression;
using System.Net;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

public abstract class CometArtifactsTests(IServerFixture fixture)
{
    private async Task<(CometClient Comet, string Key, string Workspace)> ExperimentAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "data" })).Ok().GetProperty("experimentKey").GetString()!;
        return (comet, key, workspace);
    }

    private static HttpRequestMessage Upload(string key, string versionId, byte[] bytes, string fileName) => new(
        HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&fileName={fileName}&artifactVersionId={versionId}")
    {
        Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } },
    };

    [Fact]
    public async Task An_artifact_is_versioned_its_files_read_back_and_download_as_a_zip()
    {
        var (comet, key, workspace) = await ExperimentAsync();
        var rows = Encoding.UTF8.GetBytes("a,b\n1,2\n");

        var first = (await comet.PostAsync("write/artifacts/upsert", new
        {
            experimentKey = key, artifactName = "train-set", artifactType = "dataset", metadata = "{\"rows\": 1}", tags = new[] { "raw" }, alias = new[] { "latest" },
        })).Ok();
        Assert.Equal("1.0.0", first.GetProperty("currentVersion").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("previousVersion").ValueKind);
        var versionId = first.GetProperty("artifactVersionId").GetString()!;
        (await comet.SendAsync(Upload(key, versionId, rows, "train.csv"))).Ok();
        (await comet.PostAsync("write/artifacts/state", new { experimentKey = key, artifactVersionId = versionId, state = "CLOSED" })).Ok();
        var second = (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = key, artifactName = "train-set", alias = new[] { "latest" } })).Ok();

        Assert.Equal("2.0.0", second.GetProperty("currentVersion").GetString());
        Assert.Equal("1.0.0", second.GetProperty("previousVersion").GetString());
        Assert.Equal(first.GetProperty("artifactId").GetString(), second.GetProperty("artifactId").GetString());
        var details = (await comet.GetAsync($"artifacts/get?artifactName=train-set&workspace={workspace}")).Ok();
        Assert.Equal(["raw"], details.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var versions = details.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(["1.0.0", "2.0.0"], versions.Select(v => v.GetProperty("version").GetString()));
        Assert.Equal("CLOSED", versions[0].GetProperty("state").GetString());
        Assert.Equal(0, versions[0].GetProperty("alias").GetArrayLength());
        Assert.Equal(["latest"], versions[1].GetProperty("alias").EnumerateArray().Select(a => a.GetString()));

        var version = (await comet.GetAsync($"artifacts/version?artifactName=train-set&version=1.0.0")).Ok();
        Assert.Equal(rows.Length, version.GetProperty("sizeInBytes").GetInt64());
        Assert.Equal(key, version.GetProperty("experimentKey").GetString());
        Assert.Equal("dataset", version.GetProperty("artifact").GetProperty("artifactType").GetString());
        var file = Assert.Single((await comet.GetAsync($"artifacts/version/files?artifactName=train-set&version=1.0.0")).Ok().GetProperty("files").EnumerateArray());
        Assert.Equal("train.csv", file.GetProperty("fileName").GetString());
        using (var zip = new ZipArchive(new MemoryStream(await comet.DownloadAsync($"artifacts/version/download?artifactName=train-set&version=1.0.0&experimentKey={key}"))))
        {
            using var entry = new StreamReader(Assert.Single(zip.Entries).Open());
            Assert.Equal("a,b\n1,2\n", await entry.ReadToEndAsync());
        }
        Assert.Equal(0, (await comet.GetAsync($"experiment/asset/list?experimentKey={key}")).Ok().GetProperty("assets").GetArrayLength());
        var listed = Assert.Single((await comet.GetAsync($"artifacts/get-all?experimentKey={key}")).Ok().GetProperty("artifacts").EnumerateArray());
        Assert.Equal("train-set", listed.GetProperty("artifactName").GetString());
        Assert.Equal(0, (await comet.GetAsync($"artifacts/get-all?workspace={workspace}&type=model")).Ok().GetProperty("artifacts").GetArrayLength());
    }

    [Fact]
    public async Task Bad_artifact_requests_are_refused_without_writing()
    {
        var (comet, key, _) = await ExperimentAsync();
        var created = (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = key, artifactName = "features", version = "1.2.0" })).Ok();

        (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = key, artifactName = "features", version = "1.2.0" })).AssertError(HttpStatusCode.Conflict);
        (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = key, artifactName = "features", version = "one" })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = key })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/artifacts/upsert", new { experimentKey = Guid.NewGuid().ToString("N"), artifactName = "x" })).AssertError(HttpStatusCode.NotFound);
        (await comet.PostAsync("write/artifacts/state", new { experimentKey = key, artifactVersionId = created.GetProperty("artifactVersionId").GetString(), state = "DONE" })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/artifacts/state", new { experimentKey = key, artifactVersionId = Guid.NewGuid().ToString("N"), state = 1 })).AssertError(HttpStatusCode.NotFound);
        (await comet.GetAsync("artifacts/get?artifactName=missing")).AssertError(HttpStatusCode.NotFound);
        (await comet.GetAsync("artifacts/version?artifactName=features&version=9.0.0")).AssertError(HttpStatusCode.NotFound);

        var details = (await comet.GetAsync("artifacts/get?artifactName=features")).Ok();
        Assert.Equal(["1.2.0"], details.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal("OPEN", details.GetProperty("versions")[0].GetProperty("state").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometArtifactsTestsOnPostgres(PostgresFixture fixture) : CometArtifactsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometArtifactsTestsOnSqlite(SqliteFixture fixture) : CometArtifactsTests(fixture);
