using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Mlflow;

/// <summary>One data model: what ClearML and Comet clients log is an MLflow run, and an MLflow run is their task and experiment.</summary>
public abstract class MlflowCrossSurfaceTests(IServerFixture fixture)
{
    [Fact]
    public async Task A_clearml_task_reads_back_as_an_mlflow_run_with_its_params_scalars_and_status()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var mlflow = MlflowClient.WithToken(fixture.Factory.CreateClient(), keys.ApiKey);
        var project = await clearMl.CreateProjectAsync("clearml-side");
        var task = await clearMl.CreateTaskAsync(project, "clearml-task", tags: ["nightly"]);
        (await clearMl.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "Args", name = "lr", value = "0.1" } } })).Ok();
        (await clearMl.CallAsync("tasks.started", new { task })).Ok();
        (await clearMl.AddEventsAsync(Enumerable.Range(0, 3).Select(i =>
            new { type = "training_stats_scalar", task, iter = i, metric = "loss", variant = "train", value = 1.0 / (i + 1), timestamp = 1790000000000 + i }))).Ok();
        (await clearMl.CallAsync("tasks.stopped", new { task })).Ok();

        var run = Assert.Single((await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { project }, filter = "params.`Args/lr` = '0.1'" }))
            .Ok().GetProperty("runs").EnumerateArray());
        Assert.Equal(task, run.GetProperty("info").GetProperty("run_id").GetString());
        Assert.Equal("KILLED", run.GetProperty("info").GetProperty("status").GetString());
        Assert.Equal("clearml-task", run.GetProperty("info").GetProperty("run_name").GetString());
        var tags = run.GetProperty("data").GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("value").GetString());
        Assert.Equal("", tags["nightly"]);
        var history = (await mlflow.GetAsync($"metrics/get-history?run_id={task}&metric_key=loss/train")).Ok().GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal([0L, 1L, 2L], history.Select(m => m.GetProperty("step").GetInt64()));
        Assert.Equal(1790000000002, history[2].GetProperty("timestamp").GetInt64());
        var experiment = (await mlflow.GetAsync($"experiments/get?experiment_id={project}")).Ok().GetProperty("experiment");
        Assert.Equal("clearml-side", experiment.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_comet_experiment_reads_back_as_an_mlflow_run_and_mlflow_tags_are_comet_others()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var mlflow = MlflowClient.WithToken(fixture.Factory.CreateClient(), keys.ApiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "comet-side", experimentName = "comet-run" }))
            .Ok().GetProperty("experimentKey").GetString()!;
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "accuracy", metricValue = 0.75, step = 4 })).Ok();
        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "batch_size", parameterValue = 64 })).Ok();
        (await comet.PostAsync("write/experiment/log-other", new { experimentKey = key, key = "dataset", value = "digits" })).Ok();

        (await mlflow.PostAsync("runs/set-tag", new { run_id = key, key = "reviewer", value = "bob" })).Ok();

        var run = (await mlflow.GetAsync($"runs/get?run_id={key}")).Ok().GetProperty("run");
        Assert.Equal("comet-run", run.GetProperty("info").GetProperty("run_name").GetString());
        var data = run.GetProperty("data");
        Assert.Equal(0.75, Assert.Single(data.GetProperty("metrics").EnumerateArray(), m => m.GetProperty("key").GetString() == "accuracy").GetProperty("value").GetDouble());
        Assert.Contains(data.GetProperty("params").EnumerateArray(), p => p.GetProperty("key").GetString() == "batch_size" && p.GetProperty("value").GetString() == "64");
        Assert.Contains(data.GetProperty("tags").EnumerateArray(), t => t.GetProperty("key").GetString() == "dataset" && t.GetProperty("value").GetString() == "digits");
        var others = (await comet.GetAsync($"experiment/log-other?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("valueCurrent").GetString());
        Assert.Equal("bob", others["reviewer"]);
    }

    [Fact]
    public async Task An_mlflow_run_is_a_clearml_task_whose_status_follows_the_run()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var mlflow = MlflowClient.WithToken(fixture.Factory.CreateClient(), keys.ApiKey);
        var experiment = (await mlflow.PostAsync("experiments/create", new { name = "mlflow-side" })).Ok().GetProperty("experiment_id").GetString()!;
        var run = (await mlflow.PostAsync("runs/create", new { experiment_id = experiment, run_name = "mlflow-run", start_time = 1790000000000 }))
            .Ok().GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        Assert.Equal("in_progress", await StatusAsync(clearMl, run));

        (await mlflow.PostAsync("runs/update", new { run_id = run, status = "FAILED", end_time = 1790000060000 })).Ok();
        Assert.Equal("failed", await StatusAsync(clearMl, run));
        (await mlflow.PostAsync("runs/delete", new { run_id = run })).Ok();
        var task = (await clearMl.CallAsync("tasks.get_by_id", new { task = run })).Ok().GetProperty("task");
        Assert.Contains("archived", task.GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("mlflow-side", (await clearMl.CallAsync("projects.get_by_id", new { project = experiment })).Ok().GetProperty("project").GetProperty("name").GetString());
    }

    private static async Task<string?> StatusAsync(ClearMlClient clearMl, string task) =>
        (await clearMl.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task").GetProperty("status").GetString();
}

[Collection(PostgresCollection.Name)]
public sealed class MlflowCrossSurfaceTestsOnPostgres(PostgresFixture fixture) : MlflowCrossSurfaceTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class MlflowCrossSurfaceTestsOnSqlite(SqliteFixture fixture) : MlflowCrossSurfaceTests(fixture);
