using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

/// <summary>Sessions recorded from the unmodified ClearML SDK 1.17 (see README, "Tests"), replayed call by call.</summary>
public abstract class SdkReplayTests(IServerFixture fixture)
{
    /// <summary>
    /// Task.init, connect (argparse, dict), connect_configuration, user properties, tags, scalars, a single
    /// value, text, upload_artifact(dict), OutputModel.update_weights, close.
    /// </summary>
    [Fact]
    public async Task A_recorded_sdk_training_script_replays_and_leaves_everything_it_wrote_readable()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var session = new SdkSession(client);

        await session.ReplayAsync("sdk-writer.jsonl");

        var task = (await client.CallAsync("tasks.get_all", new { name = "^writer$", only_fields = new[] { "id" } })).Ok().GetProperty("tasks")[0].GetProperty("id").GetString();
        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Equal("completed", doc.GetProperty("status").GetString());
        var hyperparams = doc.GetProperty("hyperparams");
        Assert.Equal("32", hyperparams.GetProperty("General").GetProperty("batch_size").GetProperty("value").GetString());
        Assert.Equal("int", hyperparams.GetProperty("General").GetProperty("batch_size").GetProperty("type").GetString());
        Assert.Equal("3", hyperparams.GetProperty("Args").GetProperty("epochs").GetProperty("value").GetString());
        Assert.Equal("alice", hyperparams.GetProperty("properties").GetProperty("owner").GetProperty("value").GetString());
        Assert.Contains("adam", doc.GetProperty("configuration").GetProperty("model config").GetProperty("value").GetString());
        Assert.Equal(["baseline"], doc.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("summary", doc.GetProperty("execution").GetProperty("artifacts")[0].GetProperty("key").GetString());

        var last = doc.GetProperty("last_metrics").EnumerateObject().SelectMany(m => m.Value.EnumerateObject()).Select(v => v.Value)
            .ToDictionary(v => v.GetProperty("metric").GetString() + "/" + v.GetProperty("variant").GetString(), v => v.GetProperty("value").GetDouble());
        Assert.Equal(0.1, last["loss/train"], 10);
        Assert.Equal(0.2, last["loss/val"], 10);
        Assert.Equal(0.93, last["Summary/accuracy"], 10);
        Assert.Equal(9, doc.GetProperty("last_iteration").GetInt64());

        var modelId = doc.GetProperty("models").GetProperty("output")[0].GetProperty("model").GetString();
        var model = (await client.CallAsync("models.get_by_id", new { model = modelId })).Ok().GetProperty("model");
        Assert.Equal("demo model", model.GetProperty("name").GetString());
        Assert.Equal("PyTorch", model.GetProperty("framework").GetString());
        Assert.EndsWith("weights.bin", model.GetProperty("uri").GetString());
        Assert.Equal(task, model.GetProperty("task").GetString());
    }

    /// <summary>
    /// A fresh process reading the training script's results back: Task.get_task, get_parameters,
    /// get_configuration_object, get_reported_scalars, get_all_reported_scalars, single values, console,
    /// artifacts, Model(...).get_local_copy, Model.query_models. Every answer must match the recording
    /// in shape and in the number of items (points per curve, log lines, models).
    /// </summary>
    [Fact]
    public async Task A_recorded_sdk_reader_session_gets_back_what_the_training_script_wrote()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var session = new SdkSession(client);
        await session.ReplayAsync("sdk-writer.jsonl");

        await session.ReplayAsync("sdk-reader.jsonl");

        var task = (await client.CallAsync("tasks.get_all", new { name = "^writer$", only_fields = new[] { "id" } })).Ok().GetProperty("tasks")[0].GetProperty("id").GetString();
        var train = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task, key = "iter" })).Ok().GetProperty("loss").GetProperty("train");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), train.GetProperty("x").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 1.0 / (i + 1)), train.GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class SdkReplayTestsOnPostgres(PostgresFixture fixture) : SdkReplayTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class SdkReplayTestsOnSqlite(SqliteFixture fixture) : SdkReplayTests(fixture);
