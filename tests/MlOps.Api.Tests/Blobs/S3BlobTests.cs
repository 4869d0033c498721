using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon.S3.Model;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Blobs;

/// <summary>The flows that move file bytes, with the blobs in a real S3 store (Ceph RADOS Gateway) instead of local disk.</summary>
public abstract class S3BlobTests(IS3ServerFixture fixture)
{
    /// <summary>More than two parts of the default 8 MiB: the multipart path, with one part being sent while the next is read.</summary>
    protected const int LargeFileBytes = 20 * 1024 * 1024;

    protected async Task<ClearMlClient> ClearMlTenantAsync(MlOpsFactory? factory = null)
    {
        factory ??= fixture.Factory;
        var keys = await factory.CreateTenantAsync();
        return await factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    /// <summary>The ClearML SDK's upload: a multipart POST to the files base, one part named by the object path.</summary>
    protected static Task<HttpResponseMessage> UploadAsync(ClearMlClient client, string path, byte[] bytes)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, "/files") { Content = new MultipartFormDataContent { { part, path, path } } };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        return client.Http.SendAsync(request);
    }

    protected static Task<HttpResponseMessage> SendAsync(ClearMlClient client, HttpMethod method, string url, RangeHeaderValue? range = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        request.Headers.Range = range;
        return client.Http.SendAsync(request);
    }

    protected static string ContentKey(byte[] bytes)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return $"{sha256[..2]}/{sha256[2..4]}/{sha256}";
    }

    protected static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    protected async Task<List<string>> KeysInBucketAsync(string bucket)
    {
        using var s3 = fixture.Gateway.Client();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return listed.S3Objects?.Select(o => o.Key).ToList() ?? [];
    }

    [Fact]
    public async Task A_clearml_file_is_stored_in_the_bucket_under_its_content_and_downloads_byte_for_byte()
    {
        var client = await ClearMlTenantAsync();
        var bytes = RandomBytes(4096);

        var upload = await UploadAsync(client, "/p/t.1/artifacts/stats/stats.bin", bytes);
        var head = await SendAsync(client, HttpMethod.Head, "/files/p/t.1/artifacts/stats/stats.bin");
        var download = await SendAsync(client, HttpMethod.Get, "/files/p/t.1/artifacts/stats/stats.bin");

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Contains(ContentKey(bytes), await KeysInBucketAsync(fixture.Bucket));
    }

    [Fact]
    public async Task A_file_larger_than_a_part_streams_up_and_down_byte_equal_and_leaves_no_staging_object()
    {
        var client = await ClearMlTenantAsync();
        var bytes = RandomBytes(LargeFileBytes);

        var upload = await UploadAsync(client, "/p/t.2/models/weights.bin", bytes);
        var download = await SendAsync(client, HttpMethod.Get, "/files/p/t.2/models/weights.bin");
        var tail = await SendAsync(client, HttpMethod.Get, "/files/p/t.2/models/weights.bin", new RangeHeaderValue(LargeFileBytes - 1000, null));

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(LargeFileBytes, download.Content.Headers.ContentLength);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await download.Content.ReadAsStreamAsync()));
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(bytes[^1000..], await tail.Content.ReadAsByteArrayAsync());
        var keys = await KeysInBucketAsync(fixture.Bucket);
        Assert.Contains(ContentKey(bytes), keys);
        Assert.DoesNotContain(keys, key => key.StartsWith("staging/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_comet_asset_is_uploaded_to_and_downloaded_from_the_bucket()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var experiment = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "s3" })).Ok().GetProperty("experimentKey").GetString();
        var bytes = RandomBytes(LargeFileBytes);

        var uploaded = (await comet.SendAsync(new HttpRequestMessage(
            HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={experiment}&fileName=model.bin")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "model.bin" } },
        })).Ok();
        var downloaded = await comet.DownloadAsync($"experiment/asset/get-asset?experimentKey={experiment}&assetId={uploaded.GetProperty("assetId").GetString()}");

        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(downloaded));
        Assert.Contains(ContentKey(bytes), await KeysInBucketAsync(fixture.Bucket));
    }

    [Fact]
    public async Task A_blob_missing_from_the_bucket_is_a_404_in_each_surfaces_format()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var experiment = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "lost" })).Ok().GetProperty("experimentKey").GetString();
        var bytes = RandomBytes(1000);
        await UploadAsync(clearMl, "/p/lost/file.bin", bytes);
        var assetId = (await comet.SendAsync(new HttpRequestMessage(
            HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={experiment}&fileName=lost.bin")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "lost.bin" } },
        })).Ok().GetProperty("assetId").GetString();
        using (var s3 = fixture.Gateway.Client())
        {
            await s3.DeleteObjectAsync(fixture.Bucket, ContentKey(bytes));
        }

        var download = await clearMl.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/files/p/lost/file.bin"));
        var head = await SendAsync(clearMl, HttpMethod.Head, "/files/p/lost/file.bin");
        var asset = await comet.GetAsync($"experiment/asset/get-asset?experimentKey={experiment}&assetId={assetId}");

        Assert.Equal(HttpStatusCode.NotFound, download.Status);
        Assert.Equal(404, download.ResultCode);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        asset.AssertError(HttpStatusCode.NotFound);
    }
}

[Collection(S3PostgresCollection.Name)]
public sealed class S3BlobTestsOnPostgres(S3PostgresFixture fixture) : S3BlobTests(fixture)
{
    [Fact]
    public async Task A_file_uploaded_through_one_replica_downloads_through_another()
    {
        var other = fixture.NewServer(fixture.Bucket);
        var keys = await fixture.Factory.CreateTenantAsync();
        var writer = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var reader = await other.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var bytes = RandomBytes(LargeFileBytes);

        await UploadAsync(writer, "/p/shared/weights.bin", bytes);
        var download = await SendAsync(reader, HttpMethod.Get, "/files/p/shared/weights.bin");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await download.Content.ReadAsStreamAsync()));
    }

    [Fact]
    public async Task Identical_large_content_uploaded_twice_is_one_object_readable_under_both_paths()
    {
        var bucket = S3Gateway.NewBucketName();
        var client = await ClearMlTenantAsync(fixture.NewServer(bucket));
        var bytes = RandomBytes(9 * 1024 * 1024);

        await UploadAsync(client, "/p/a/models/w.bin", bytes);
        await UploadAsync(client, "/p/b/models/w.bin", bytes);

        Assert.Equal([ContentKey(bytes)], await KeysInBucketAsync(bucket));
        foreach (var path in new[] { "/files/p/a/models/w.bin", "/files/p/b/models/w.bin" })
        {
            var download = await SendAsync(client, HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>Before, the store's connection failure escaped as a 500 in each surface.</summary>
    [Fact]
    public async Task A_blob_store_that_stops_answering_is_a_503_in_each_surfaces_format()
    {
        using var network = new TcpForwarder(new Uri(fixture.Gateway.Endpoint));
        var replica = fixture.NewServer(fixture.Bucket, new Dictionary<string, string> { ["MlOps:Blobs:S3:ServiceUrl"] = network.Address.GetLeftPart(UriPartial.Authority) });
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await replica.CreateTenantAsync(workspace);
        var clearMl = await replica.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var comet = new CometClient(replica.CreateClient(), keys.ApiKey);
        var experiment = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "down" })).Ok().GetProperty("experimentKey").GetString();
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(clearMl, "/p/down/file.bin", RandomBytes(1000))).StatusCode);
        HttpRequestMessage AssetUpload() => new(HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={experiment}&fileName=a.bin")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(RandomBytes(1000)), "file", "a.bin" } },
        };
        var assetId = (await comet.SendAsync(AssetUpload())).Ok().GetProperty("assetId").GetString();

        network.Cut();

        var download = await clearMl.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/files/p/down/file.bin"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, download.Status);
        Assert.Equal(503, download.ResultCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await UploadAsync(clearMl, "/p/down/other.bin", RandomBytes(1000))).StatusCode);
        (await comet.GetAsync($"experiment/asset/get-asset?experimentKey={experiment}&assetId={assetId}")).AssertError(HttpStatusCode.ServiceUnavailable);
        (await comet.SendAsync(AssetUpload())).AssertError(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_replica_whose_bucket_is_gone_is_not_ready()
    {
        var bucket = S3Gateway.NewBucketName();
        var replica = fixture.NewServer(bucket);
        using var http = replica.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        using (var s3 = fixture.Gateway.Client())
        {
            await s3.DeleteBucketAsync(bucket);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_refused_and_leaves_nothing_in_the_bucket()
    {
        var bucket = S3Gateway.NewBucketName();
        var limited = fixture.NewServer(bucket, new Dictionary<string, string> { ["MlOps:Blobs:MaxBytes"] = (LargeFileBytes / 2).ToString() });
        var client = await ClearMlTenantAsync(limited);

        var upload = await UploadAsync(client, "/p/too-big/weights.bin", RandomBytes(LargeFileBytes));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
        Assert.Empty(await KeysInBucketAsync(bucket));
        using var s3 = fixture.Gateway.Client();
        Assert.Empty((await s3.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
    }
}

[Collection(S3SqliteCollection.Name)]
public sealed class S3BlobTestsOnSqlite(S3SqliteFixture fixture) : S3BlobTests(fixture);
