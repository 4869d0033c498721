using System.IO.Compression;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

/// <summary>
/// Sessions recorded from the unmodified comet_ml 3.54 (tests/comet-sdk/run.sh --record), replayed call by call:
/// the training run (clientlib handshake, heartbeats, gzip batches, uploads, REST writes), comet_ml.API reading it
/// back in a fresh process, and ExistingExperiment continuing it, an OfflineExperiment's upload. What the run logged is then read through Comet's
/// REST API and, since a Comet experiment is a ClearML task, through ClearML's.
/// </summary>
public abstract class CometSdkReplayTests(IServerFixture fixture)
{
    private async Task<(CometSdkSession Session, CometClient Comet, ClearMlClient ClearMl, string Workspace)> TenantAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return (new CometSdkSession(fixture.Factory.CreateClient(), keys.ApiKey, workspace), new CometClient(fixture.Factory.CreateClient(), keys.ApiKey), clearMl, workspace);
    }

    private static async Task<string> OnlyExperimentAsync(CometClient comet, string workspace) =>
        Assert.Single((await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=sdk-live")).Ok().GetProperty("experiments").EnumerateArray())
            .GetProperty("experimentKey").GetString()!;

    [Fact]
    public async Task A_recorded_training_run_replays_and_reads_back_as_a_comet_experiment_and_a_clearml_task()
    {
        var (session, comet, clearMl, workspace) = await TenantAsync();

        await session.ReplayAsync("sdk-train.jsonl");

        var key = await OnlyExperimentAsync(comet, workspace);
        var metadata = (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok();
        Assert.Equal("live-run", metadata.GetProperty("experimentName").GetString());
        Assert.False(metadata.GetProperty("running").GetBoolean());
        var parameters = (await comet.GetAsync($"experiment/parameters?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("valueCurrent").GetString());
        Assert.Equal("0.01", parameters["lr"]);
        Assert.Equal("adam", parameters["optimizer"]);
        var loss = (await comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=loss")).Ok().GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 10), loss.Select(p => (int)p.GetProperty("step").GetInt64()));
        Assert.Equal([0L, 1L], loss.Select(p => p.GetProperty("epoch").GetInt64()).Distinct());
        Assert.Contains("validate_score", (await comet.GetAsync($"experiment/metrics/summary?experimentKey={key}")).Ok().GetProperty("values")
            .EnumerateArray().Select(v => v.GetProperty("name").GetString()));
        Assert.Equal(["baseline", "sdk"], (await comet.GetAsync($"experiment/tags?experimentKey={key}")).Ok().GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        var assets = (await comet.GetAsync($"experiment/asset/list?experimentKey={key}")).Ok().GetProperty("assets").EnumerateArray()
            .ToDictionary(a => a.GetProperty("fileName").GetString()!);
        Assert.Equal("notes about the run\n", System.Text.Encoding.UTF8.GetString(
            await comet.DownloadAsync($"experiment/asset/get-asset?experimentKey={key}&assetId={assets["notes.txt"].GetProperty("assetId").GetString()}")));
        Assert.Equal(Enumerable.Range(0, 1024).Select(i => (byte)(i % 256)), await comet.DownloadAsync(
            $"experiment/asset/get-asset?experimentKey={key}&assetId={assets["weights.bin"].GetProperty("assetId").GetString()}"));
        Assert.True(assets["train.csv"].GetProperty("remote").GetBoolean());
        using var patch = new ZipArchive(new MemoryStream(await comet.DownloadAsync($"experiment/git/patch?experimentKey={key}")));
        Assert.Contains("+print('v2')", new StreamReader(patch.GetEntry("git_diff.patch")!.Open()).ReadToEnd());

        var task = (await clearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task");
        Assert.Equal("completed", task.GetProperty("status").GetString());
        Assert.Equal("live-run", task.GetProperty("name").GetString());
        Assert.Equal("32", task.GetProperty("hyperparams").GetProperty("General").GetProperty("batch_size").GetProperty("value").GetString());
        var curve = (await clearMl.CallAsync("events.scalar_metrics_iter_histogram", new { task = key, key = "iter" })).Ok().GetProperty("loss").GetProperty("loss");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 1.0 / (i + 1)), curve.GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));
        var console = (await clearMl.CallAsync("events.get_task_log", new { task = key, batch_size = 100 })).Ok();
        Assert.Contains(console.GetProperty("events").EnumerateArray(), e => e.GetProperty("msg").GetString()!.Contains("training finished"));
    }

    /// <summary>comet_ml.API in a fresh process: every answer matches the recording in shape and item counts.</summary>
    [Fact]
    public async Task A_recorded_api_session_gets_back_what_the_training_run_logged()
    {
        var (session, _, _, _) = await TenantAsync();
        await session.ReplayAsync("sdk-train.jsonl");

        await session.ReplayAsync("sdk-verify.jsonl");
    }

    [Fact]
    public async Task A_recorded_existing_experiment_session_continues_the_run()
    {
        var (session, comet, clearMl, workspace) = await TenantAsync();
        await session.ReplayAsync("sdk-train.jsonl");

        await session.ReplayAsync("sdk-resume.jsonl");

        var key = await OnlyExperimentAsync(comet, workspace);
        var loss = (await comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=loss")).Ok().GetProperty("metrics").EnumerateArray();
        Assert.Equal(Enumerable.Range(0, 11), loss.Select(p => (int)p.GetProperty("step").GetInt64()));
        var task = (await clearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task");
        Assert.Equal("completed", task.GetProperty("status").GetString());
        Assert.Equal("true", task.GetProperty("hyperparams").GetProperty("General").GetProperty("resumed").GetProperty("value").GetString());
    }

    /// <summary>An OfflineExperiment's archive uploaded with the SDK's own uploader, then read back with comet_ml.API.</summary>
    [Fact]
    public async Task A_recorded_offline_archive_upload_lands_as_a_finished_experiment()
    {
        var (session, comet, _, workspace) = await TenantAsync();

        await session.ReplayAsync("sdk-offline.jsonl");

        var key = Assert.Single((await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=sdk-offline")).Ok().GetProperty("experiments").EnumerateArray())
            .GetProperty("experimentKey").GetString()!;
        var metadata = (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok();
        Assert.Equal("offline-run", metadata.GetProperty("experimentName").GetString());
        Assert.False(metadata.GetProperty("running").GetBoolean());
        var loss = (await comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=loss")).Ok().GetProperty("metrics").EnumerateArray();
        Assert.Equal(Enumerable.Range(0, 5), loss.Select(p => (int)p.GetProperty("step").GetInt64()));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometSdkReplayTestsOnPostgres(PostgresFixture fixture) : CometSdkReplayTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometSdkReplayTestsOnSqlite(SqliteFixture fixture) : CometSdkReplayTests(fixture);
