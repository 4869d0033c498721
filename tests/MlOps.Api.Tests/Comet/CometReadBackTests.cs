using System.IO.Compression;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

/// <summary>Fields comet_ml's <c>API</c> reads back: metric extremes' times, all metrics at once, system metric names, registry users, the git patch.</summary>
public abstract class CometReadBackTests(IServerFixture fixture)
{
    private async Task<(CometClient Comet, ClearMlClient ClearMl, string Key, string Workspace)> ExperimentAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "reads" })).Ok().GetProperty("experimentKey").GetString()!;
        return (comet, await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey), key, workspace);
    }

    [Fact]
    public async Task The_metrics_summary_gives_the_times_of_the_max_and_min_points()
    {
        var (comet, _, key, _) = await ExperimentAsync();
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = 0.5, step = 1, timestamp = 1_790_000_001_000L })).Ok();
        (await comet.PostAsync("write/experiment/metrics/batch", new
        {
            experimentKey = key,
            metrics = new[]
            {
                new { metricName = "loss", metricValue = 0.9, step = 2L, timestamp = 1_790_000_002_000L },
                new { metricName = "loss", metricValue = 0.1, step = 3L, timestamp = 1_790_000_003_000L },
                new { metricName = "loss", metricValue = 0.3, step = 4L, timestamp = 1_790_000_004_000L },
            },
        })).Ok();

        var loss = Assert.Single((await comet.GetAsync($"experiment/metrics/summary?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray());
        Assert.Equal("0.9", loss.GetProperty("valueMax").GetString());
        Assert.Equal(1_790_000_002_000L, loss.GetProperty("timestampMax").GetInt64());
        Assert.Equal(1_790_000_003_000L, loss.GetProperty("timestampMin").GetInt64());
        Assert.Equal(1_790_000_004_000L, loss.GetProperty("timestampCurrent").GetInt64());
        Assert.Equal(2, loss.GetProperty("stepMax").GetInt64());
    }

    [Fact]
    public async Task Get_all_returns_every_point_of_every_metric_as_get_metrics_reads_it()
    {
        var (comet, _, key, _) = await ExperimentAsync();
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "acc", metricValue = 0.7, step = 1, timestamp = 1_790_000_000_000L })).Ok();
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "acc", metricValue = 0.8, step = 2, context = "val", timestamp = 1_790_000_000_500L })).Ok();
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = 1.5, step = 1, timestamp = 1_790_000_001_000L })).Ok();

        var metrics = (await comet.GetAsync($"experiment/metrics/get-all?experimentKey={key}")).Ok().GetProperty("metrics").EnumerateArray().ToList();

        Assert.Equal(3, metrics.Count);
        var val = metrics.Single(m => m.GetProperty("runContext").GetString() == "val");
        Assert.Equal("acc", val.GetProperty("metricName").GetString());
        Assert.Equal("0.8", val.GetProperty("metricValue").GetString());
        Assert.Equal(2, val.GetProperty("step").GetInt64());
        Assert.Equal(1_790_000_000_500L, val.GetProperty("timestamp").GetInt64());
        Assert.Equal(["acc", "acc", "loss"], metrics.Select(m => m.GetProperty("metricName").GetString()).Order());
        (await comet.GetAsync($"experiment/metrics/get-all?experimentKey={Guid.NewGuid():N}")).AssertError(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task System_details_name_the_system_metrics_logged()
    {
        var (comet, _, key, _) = await ExperimentAsync();
        (await comet.PostAsync("write/experiment/ram-metrics", new { experimentKey = key, totalRam = 16e9, usedRam = 4e9 })).Ok();
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "sys.cpu.percent.01", metricValue = 12.5 })).Ok();
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = 1 })).Ok();

        var details = (await comet.GetAsync($"experiment/system-details?experimentKey={key}")).Ok();

        Assert.Equal(["sys.cpu.percent.01", "sys.ram.total", "sys.ram.used"],
            details.GetProperty("systemMetricNames").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task Registry_models_and_versions_name_the_user_who_registered_them()
    {
        var (comet, _, _, workspace) = await ExperimentAsync();
        var userName = (await comet.GetAsync("account-details")).Ok().GetProperty("userName").GetString();
        (await comet.PostAsync("write/registry-model", new { registryModelName = "scorer", version = "1.0.0", isPublic = false })).Ok();

        var listed = Assert.Single((await comet.GetAsync($"registry-model?workspaceName={workspace}")).Ok().GetProperty("registryModels").EnumerateArray());
        Assert.Equal(userName, listed.GetProperty("userName").GetString());
        Assert.Equal(userName, listed.GetProperty("latestVersion").GetProperty("userName").GetString());
        var details = (await comet.GetAsync($"registry-model/details?workspaceName={workspace}&modelName=scorer")).Ok();
        Assert.Equal(userName, details.GetProperty("userName").GetString());
        Assert.Equal(userName, Assert.Single(details.GetProperty("versions").EnumerateArray()).GetProperty("userName").GetString());
        Assert.False(string.IsNullOrEmpty(userName));
    }

    [Fact]
    public async Task A_zipped_git_patch_comes_back_byte_for_byte_and_clearml_sees_its_diff()
    {
        var (comet, clearMl, key, _) = await ExperimentAsync();
        var diff = "diff --git a/x.py b/x.py\n+print('é ü ✓')\n";
        var zip = Zip(diff);

        var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/rest/v2/write/experiment/git/patch?experimentKey={key}")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(zip), "file", "filename" } },
        };
        (await comet.SendAsync(upload)).Ok();

        Assert.Equal(zip, await comet.DownloadAsync($"experiment/git/patch?experimentKey={key}"));
        var script = (await clearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task").GetProperty("script");
        Assert.Equal(diff, script.GetProperty("diff").GetString());

        (await clearMl.CallAsync("tasks.edit", new { task = key, force = true, script = new { diff = "changed in clearml\n" } })).Ok();
        using var served = new ZipArchive(new MemoryStream(await comet.DownloadAsync($"experiment/git/patch?experimentKey={key}")));
        using var entry = new StreamReader(served.GetEntry("git_diff.patch")!.Open());
        Assert.Equal("changed in clearml\n", await entry.ReadToEndAsync());
    }

    private static byte[] Zip(string diff)
    {
        using var bytes = new MemoryStream();
        using (var archive = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("git_diff.patch").Open();
            entry.Write(Encoding.UTF8.GetBytes(diff));
        }
        return bytes.ToArray();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometReadBackTestsOnPostgres(PostgresFixture fixture) : CometReadBackTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometReadBackTestsOnSqlite(SqliteFixture fixture) : CometReadBackTests(fixture);
