using System.Net;
using System.Text;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl.Recorded;

/// <summary>
/// A run recorded offline (Task.set_offline(True): nothing reaches a server) and imported with
/// Task.import_offline_session, recorded from the unmodified SDK 1.17 (tests/clearml-sdk/run.sh offline --record),
/// then read back by a fresh process.
/// </summary>
public abstract class SdkReplayOfflineTests(IServerFixture fixture) : RecordedSessionTests(fixture)
{
    [Fact]
    public async Task An_imported_offline_session_lands_whole()
    {
        var (client, _) = await ReplayAsync("sdk-offline-import.jsonl");

        var task = await TaskAsync(client, "offline run");
        var id = task.GetProperty("id").GetString()!;
        Assert.Equal("completed", task.GetProperty("status").GetString());
        Assert.Equal(("0.05", "4", "sgd"), (Param(task, "General", "lr"), Param(task, "General", "epochs"), Param(task, "General", "optimizer")));
        Assert.Contains("dropout", task.GetProperty("configuration").GetProperty("net").GetProperty("value").GetString());
        Assert.Equal(["offline"], task.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(19, task.GetProperty("last_iteration").GetInt64());

        var loss = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task = id, key = "iter" })).Ok().GetProperty("loss").GetProperty("train");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), loss.GetProperty("x").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Math.Round(1.0 / (i + 1), 6)), loss.GetProperty("y").EnumerateArray().Select(y => Math.Round(y.GetDouble(), 6)));
        Assert.Equal(0.95, LastMetric(task, "Summary", "best_acc"), 10);

        var log = (await client.CallAsync("events.get_task_log", new { task = id, batch_size = 500, navigate_earlier = false })).Ok();
        var console = string.Join("\n", log.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("msg").GetString()));
        Assert.Contains("offline console line one", console);
        Assert.Contains("offline stdout line two", console);

        var plot = Assert.Single((await client.CallAsync("events.get_task_plots", new { task = id, iters = 1 })).Ok().GetProperty("plots").EnumerateArray());
        Assert.Equal(("confusion", "val", 19), (plot.GetProperty("metric").GetString(), plot.GetProperty("variant").GetString(), plot.GetProperty("iter").GetInt32()));
        var images = (await client.CallAsync("events.debug_images", new { metrics = new[] { new { task = id, metric = "samples" } }, iters = 1 })).Ok();
        var url = images.GetProperty("metrics")[0].GetProperty("iterations")[0].GetProperty("events")[0].GetProperty("url").GetString()!;
        Assert.Contains(id, url);
        var (status, image) = await DownloadAsync(client, url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(image.AsSpan().StartsWith("\x89PNG"u8) || image.AsSpan().StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }), "an image");

        var summary = Artifact(task, "summary");
        Assert.Contains(id, summary.GetProperty("uri").GetString());
        (status, var bytes) = await DownloadAsync(client, summary.GetProperty("uri").GetString()!);
        Assert.Equal(0.05, JsonDocument.Parse(bytes).RootElement.GetProperty("final_loss").GetDouble());
        (_, bytes) = await DownloadAsync(client, Artifact(task, "notes").GetProperty("uri").GetString()!);
        Assert.Equal("offline notes\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task A_fresh_process_reads_the_imported_session_back_as_recorded()
    {
        var (_, session) = await ReplayAsync("sdk-offline-import.jsonl", "sdk-offline-read.jsonl");

        Assert.True(session.Downloads >= 3, $"{session.Downloads} downloads checked");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class SdkReplayOfflineTestsOnPostgres(PostgresFixture fixture) : SdkReplayOfflineTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class SdkReplayOfflineTestsOnSqlite(SqliteFixture fixture) : SdkReplayOfflineTests(fixture);
