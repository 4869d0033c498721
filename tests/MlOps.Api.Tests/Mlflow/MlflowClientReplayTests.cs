using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Mlflow;

/// <summary>
/// Sessions recorded from MLflow's Python client 2.12.2 (tests/mlflow-client/run.sh --record), replayed call by call on
/// a fresh workspace: the fluent training run, MlflowClient reading it back in a fresh process, and the model registry.
/// What the run logged is then read through ClearML and Comet, since an MLflow run is a ClearML task and a Comet
/// experiment.
/// </summary>
public abstract class MlflowClientReplayTests(IServerFixture fixture)
{
    private static readonly byte[] Weights = [.. Enumerable.Range(0, 1024).Select(i => (byte)(i % 256))];

    private async Task<(MlflowClientSession Session, MlflowClient Mlflow, ClearMlClient ClearMl, CometClient Comet)> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return (new MlflowClientSession(fixture.Factory.CreateClient(), keys.AccessKey, keys.SecretKey, keys.ApiKey),
            MlflowClient.WithToken(fixture.Factory.CreateClient(), keys.ApiKey), clearMl, new CometClient(fixture.Factory.CreateClient(), keys.ApiKey));
    }

    private static async Task<(string ExperimentId, string RunId)> LiveRunAsync(MlflowClient mlflow)
    {
        var experiment = (await mlflow.GetAsync("experiments/get-by-name?experiment_name=mlflow-live")).Ok().GetProperty("experiment").GetProperty("experiment_id").GetString()!;
        var runs = (await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, filter = "attributes.run_name = 'live-run'" })).Ok();
        return (experiment, Assert.Single(runs.GetProperty("runs").EnumerateArray()).GetProperty("info").GetProperty("run_id").GetString()!);
    }

    [Fact]
    public async Task A_recorded_training_run_replays_and_reads_back_as_a_clearml_task_and_a_comet_experiment()
    {
        var (session, mlflow, clearMl, comet) = await TenantAsync();

        await session.ReplayAsync("mlflow-train.jsonl");

        var (experimentId, runId) = await LiveRunAsync(mlflow);
        Assert.Equal(Weights, await mlflow.DownloadAsync($"{experimentId}/{runId}/artifacts/model/weights.bin"));

        var task = Assert.Single((await clearMl.CallAsync("tasks.get_all", new { name = "^live-run$", only_fields = new[] { "id", "name", "status", "project", "hyperparams", "tags", "comment" } }))
            .Ok().GetProperty("tasks").EnumerateArray());
        Assert.Equal(runId, task.GetProperty("id").GetString());
        Assert.Equal("completed", task.GetProperty("status").GetString());
        Assert.Equal(experimentId, task.GetProperty("project").GetString());
        Assert.Equal("a live run", task.GetProperty("comment").GetString());
        Assert.Equal("0.01", task.GetProperty("hyperparams").GetProperty("General").GetProperty("lr").GetProperty("value").GetString());
        var curve = (await clearMl.CallAsync("events.scalar_metrics_iter_histogram", new { task = runId, key = "iter" })).Ok();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 1.0 / (i + 1)), curve.GetProperty("loss").GetProperty("loss").GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));
        Assert.Equal([0.25], curve.GetProperty("val").GetProperty("loss").GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));

        var metadata = (await comet.GetAsync($"experiment/metadata?experimentKey={runId}")).Ok();
        Assert.Equal("live-run", metadata.GetProperty("experimentName").GetString());
        Assert.False(metadata.GetProperty("running").GetBoolean());
        var others = (await comet.GetAsync($"experiment/log-other?experimentKey={runId}")).Ok().GetProperty("values").EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("valueCurrent").GetString());
        Assert.Equal("baseline", others["stage"]);
        var assets = (await comet.GetAsync($"experiment/asset/list?experimentKey={runId}")).Ok().GetProperty("assets").EnumerateArray()
            .ToDictionary(a => a.GetProperty("fileName").GetString()!, a => a.GetProperty("assetId").GetString()!);
        Assert.Equal(["config/params.json", "data/test.csv", "data/train.csv", "model/MLmodel", "model/weights.bin", "notes.txt", "text/hello.txt"], assets.Keys.Order());
        Assert.Equal(Weights, await comet.DownloadAsync($"experiment/asset/get-asset?experimentKey={runId}&assetId={assets["model/weights.bin"]}"));
    }

    /// <summary>MlflowClient in a fresh process: searches, history, listings, downloads and errors answer as recorded.</summary>
    [Fact]
    public async Task A_recorded_client_session_gets_back_what_the_training_run_logged()
    {
        var (session, mlflow, _, _) = await TenantAsync();
        await session.ReplayAsync("mlflow-train.jsonl");

        await session.ReplayAsync("mlflow-verify.jsonl");

        var (_, runId) = await LiveRunAsync(mlflow);
        var tags = (await mlflow.GetAsync($"runs/get?run_id={runId}")).Ok().GetProperty("run").GetProperty("data").GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("value").GetString());
        Assert.Equal("yes", tags["reviewed"]);
        Assert.DoesNotContain("team", tags.Keys);
    }

    /// <summary>The registry session, after the training run: what it leaves is the run's experiment models, which ClearML lists.</summary>
    [Fact]
    public async Task A_recorded_registry_session_registers_versions_of_the_runs_models()
    {
        var (session, mlflow, clearMl, _) = await TenantAsync();
        await session.ReplayAsync("mlflow-train.jsonl");

        await session.ReplayAsync("mlflow-registry.jsonl");

        var (_, runId) = await LiveRunAsync(mlflow);
        var models = (await clearMl.CallAsync("models.get_all", new { task = new[] { runId } })).Ok().GetProperty("models").EnumerateArray().ToList();
        Assert.Equal("mlflow-live-model", Assert.Single(models).GetProperty("name").GetString());
        Assert.EndsWith($"{runId}/artifacts/model", models[0].GetProperty("uri").GetString());
        (await mlflow.GetAsync("registered-models/get?name=mlflow-live-model")).AssertError(System.Net.HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class MlflowClientReplayTestsOnPostgres(PostgresFixture fixture) : MlflowClientReplayTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class MlflowClientReplayTestsOnSqlite(SqliteFixture fixture) : MlflowClientReplayTests(fixture);
