using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class FilesTests(IServerFixture fixture)
{
    protected async Task<ClearMlClient> TenantAsync(MlOpsFactory? factory = null)
    {
        factory ??= fixture.Factory;
        var keys = await factory.CreateTenantAsync();
        return await factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    /// <summary>The SDK's upload: a multipart POST to the files base, one part named (and filenamed) by the object path.</summary>
    protected static async Task<HttpResponseMessage> UploadAsync(ClearMlClient client, string path, byte[] bytes, string contentType = "application/json")
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent { { part, path, path } };
        var request = new HttpRequestMessage(HttpMethod.Post, "/files") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        return await client.Http.SendAsync(request);
    }

    protected static Task<HttpResponseMessage> SendAsync(ClearMlClient client, HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        return client.Http.SendAsync(request);
    }

    [Fact]
    public async Task An_uploaded_artifact_downloads_byte_for_byte_and_can_be_deleted()
    {
        var client = await TenantAsync();
        var bytes = Encoding.UTF8.GetBytes("{\"a\": 1}");
        var path = "/my project/train.0123/artifacts/stats/stats.json";

        var upload = await UploadAsync(client, path, bytes);
        var head = await SendAsync(client, HttpMethod.Head, "/files/my%20project/train.0123/artifacts/stats/stats.json");
        var download = await SendAsync(client, HttpMethod.Get, "/files/my%20project/train.0123/artifacts/stats/stats.json");

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Delete, "/files/my%20project/train.0123/artifacts/stats/stats.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "/files/my%20project/train.0123/artifacts/stats/stats.json")).StatusCode);
    }

    [Fact]
    public async Task Another_workspace_cannot_read_or_delete_a_file()
    {
        var owner = await TenantAsync();
        var intruder = await TenantAsync();
        await UploadAsync(owner, "/secret/data.csv", "a,b\n1,2"u8.ToArray(), "text/csv");

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(intruder, HttpMethod.Get, "/files/secret/data.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(intruder, HttpMethod.Delete, "/files/secret/data.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(owner, HttpMethod.Get, "/files/secret/data.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new ClearMlClient(fixture.Factory.CreateClient()).Http.GetAsync("/files/secret/data.csv")).StatusCode);
    }

    [Fact]
    public async Task A_file_whose_bytes_are_gone_from_the_blob_store_is_a_404_not_a_500()
    {
        var client = await TenantAsync();
        var bytes = Encoding.UTF8.GetBytes("lost " + Guid.NewGuid());
        await UploadAsync(client, "/lost/data.csv", bytes, "text/csv");
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        File.Delete(Path.Combine(fixture.Factory.DataDir, "blobs", sha256[..2], sha256[2..4], sha256));

        var download = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/files/lost/data.csv"));
        var head = await SendAsync(client, HttpMethod.Head, "/files/lost/data.csv");

        Assert.Equal(HttpStatusCode.NotFound, download.Status);
        Assert.Equal(404, download.ResultCode);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task A_path_escaping_upwards_is_refused()
    {
        var client = await TenantAsync();

        var upload = await UploadAsync(client, "/a/../../etc/passwd", [1, 2, 3]);

        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class FilesTestsOnPostgres(PostgresFixture fixture) : FilesTests(fixture)
{
    [Fact]
    public async Task Identical_content_is_stored_once_on_disk()
    {
        var factory = fixture.NewServerOnSameDatabase();
        var client = await TenantAsync(factory);
        var bytes = Encoding.UTF8.GetBytes("same weights " + Guid.NewGuid());

        await UploadAsync(client, "/p/a/models/w.bin", bytes, "application/octet-stream");
        await UploadAsync(client, "/p/b/models/w.bin", bytes, "application/octet-stream");

        var blobRoot = Path.Combine(factory.DataDir, "blobs");
        var blobFiles = Directory.GetFiles(blobRoot, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(blobRoot, f).StartsWith("tmp"));
        Assert.Single(blobFiles);
        Assert.Equal(bytes, await (await SendAsync(client, HttpMethod.Get, "/files/p/b/models/w.bin")).Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Uploads_over_the_size_limit_are_refused_and_leave_nothing_behind()
    {
        var factory = fixture.NewServerOnSameDatabase(new Dictionary<string, string> { ["MlOps:Blobs:MaxBytes"] = "1024" });
        var client = await TenantAsync(factory);

        var upload = await UploadAsync(client, "/big/file.bin", new byte[4096], "application/octet-stream");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Head, "/files/big/file.bin")).StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataDir, "blobs"), "*", SearchOption.AllDirectories));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class FilesTestsOnSqlite(SqliteFixture fixture) : FilesTests(fixture);
