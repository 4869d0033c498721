using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

public abstract class CometTests(IServerFixture fixture)
{
    private async Task<(CometClient Comet, ClearMlClient ClearMl, string Workspace)> TenantAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return (new CometClient(fixture.Factory.CreateClient(), keys.ApiKey), clearMl, workspace);
    }

    private static async Task<string> ExperimentAsync(CometClient comet, string workspace, string project = "comet-project") =>
        (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = project, experimentName = "run" }))
        .Ok().GetProperty("experimentKey").GetString()!;

    [Fact]
    public async Task The_api_key_is_required_and_checked_with_comets_error_body()
    {
        var (comet, clearMl, workspace) = await TenantAsync();

        (await new CometClient(fixture.Factory.CreateClient(), null).GetAsync("account-details")).AssertError(HttpStatusCode.Unauthorized);
        (await new CometClient(fixture.Factory.CreateClient(), "not-a-key").GetAsync("account-details")).AssertError(HttpStatusCode.Unauthorized);
        (await new CometClient(fixture.Factory.CreateClient(), "Bearer " + clearMl.Token).GetAsync("account-details")).AssertError(HttpStatusCode.Unauthorized);
        var account = (await comet.GetAsync("account-details")).Ok();

        Assert.Equal("alice", account.GetProperty("userName").GetString());
        Assert.Equal(workspace, account.GetProperty("defaultWorkspaceName").GetString());
        Assert.Equal([workspace], (await comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task Metrics_logged_point_by_point_read_back_as_summary_and_history()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace);

        foreach (var (step, value) in new[] { (0L, 0.9), (1L, 0.5), (2L, 0.7) })
        {
            (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = value, step, timestamp = 1_790_000_000_000 + step })).Ok();
        }
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = "0.4", context = "val", step = 2 })).Ok();

        var summary = (await comet.GetAsync($"experiment/metrics/summary?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray().ToList();
        var train = summary.Single(v => v.GetProperty("runContextCurrent").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal("loss", train.GetProperty("name").GetString());
        Assert.Equal("0.7", train.GetProperty("valueCurrent").GetString());
        Assert.Equal("0.5", train.GetProperty("valueMin").GetString());
        Assert.Equal("0.9", train.GetProperty("valueMax").GetString());
        Assert.Equal(1, train.GetProperty("stepMin").GetInt64());
        Assert.Equal(0, train.GetProperty("stepMax").GetInt64());
        Assert.Equal(["val"], summary.Where(v => v.GetProperty("runContextCurrent").ValueKind == System.Text.Json.JsonValueKind.String).Select(v => v.GetProperty("runContextCurrent").GetString()));
        var history = (await comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=loss")).Ok().GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(4, history.Count);
        Assert.Equal(["0.9", "0.5", "0.7"], history.Where(m => m.GetProperty("runContext").ValueKind == System.Text.Json.JsonValueKind.Null).Select(m => m.GetProperty("metricValue").GetString()));
    }

    [Fact]
    public async Task Bad_metric_input_is_a_400_that_writes_nothing_and_unknown_experiments_are_404()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace);

        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = "high" })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = 1, step = "two" })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricValue = 1 })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = Guid.NewGuid().ToString("N"), metricName = "loss", metricValue = 1 })).AssertError(HttpStatusCode.NotFound);
        (await comet.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/rest/v2/write/experiment/metric") { Content = new StringContent("{\"experimentKey\": ", System.Text.Encoding.UTF8, "application/json") })).AssertError(HttpStatusCode.BadRequest);
        (await comet.GetAsync("experiment/metrics/summary?experimentKey=nonsense")).AssertError(HttpStatusCode.NotFound);

        Assert.Empty((await comet.GetAsync($"experiment/metrics/summary?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray());
    }

    [Fact]
    public async Task Parameters_and_others_are_kept_apart_and_read_back()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace);

        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "lr", parameterValue = 0.01 })).Ok();
        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "optimizer", parameterValue = "adam" })).Ok();
        (await comet.PostAsync("write/experiment/log-other", new { experimentKey = key, key = "dataset", value = "mnist" })).Ok();

        var parameters = (await comet.GetAsync($"experiment/parameters?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("valueCurrent").GetString());
        var others = (await comet.GetAsync($"experiment/log-other?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("valueCurrent").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["lr"] = "0.01", ["optimizer"] = "adam" }, parameters);
        Assert.Equal(new Dictionary<string, string?> { ["dataset"] = "mnist" }, others);
        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "lr" })).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_experiment_is_created_listed_described_archived_stopped_and_deleted()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "lifecycle");

        var project = (await comet.GetAsync($"project?workspaceName={workspace}&projectName=lifecycle")).Ok();
        var listed = (await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=lifecycle")).Ok().GetProperty("experiments");
        Assert.Equal([key], listed.EnumerateArray().Select(e => e.GetProperty("experimentKey").GetString()));
        Assert.Equal(project.GetProperty("projectId").GetString(), listed[0].GetProperty("projectId").GetString());
        var metadata = (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok();
        Assert.True(metadata.GetProperty("running").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, metadata.GetProperty("optimizationId").ValueKind);

        Assert.Equal(10_000, (await comet.GetAsync($"write/experiment/set-status?experimentKey={key}")).Ok().GetProperty("isAliveBeatDurationMillis").GetInt32());
        Assert.Equal("Stop Requested", (await comet.GetAsync($"write/experiment/stop?experimentKey={key}")).Ok().GetProperty("msg").GetString());
        (await comet.PostAsync("write/experiment/set-start-end-time", new { experimentKey = key, startTimeMillis = 1_790_000_000_000L, endTimeMillis = 1_790_000_060_000L })).Ok();
        Assert.Equal("Archived", (await comet.GetAsync($"write/experiment/archive?experimentKey={key}")).Ok().GetProperty("msg").GetString());
        var stopped = (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok();
        Assert.False(stopped.GetProperty("running").GetBoolean());
        Assert.True(stopped.GetProperty("archived").GetBoolean());
        Assert.Equal(60_000, stopped.GetProperty("durationMillis").GetInt64());
        (await comet.GetAsync($"write/experiment/restore?experimentKey={key}")).Ok();
        (await comet.GetAsync($"write/experiment/delete?experimentKey={key}")).Ok();
        (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Projects_are_created_listed_and_deleted_and_other_workspaces_are_invisible()
    {
        var (comet, _, workspace) = await TenantAsync();
        var (other, _, otherWorkspace) = await TenantAsync();

        var id = (await comet.PostAsync("write/project/create", new { workspaceName = workspace, projectName = "vision", projectDescription = "cnn", isPublic = false })).Ok().GetProperty("projectId").GetString();

        var projects = (await comet.GetAsync($"projects?workspaceName={workspace}")).Ok().GetProperty("projects");
        var vision = Assert.Single(projects.EnumerateArray());
        Assert.Equal(id, vision.GetProperty("projectId").GetString());
        Assert.Equal("cnn", vision.GetProperty("projectDescription").GetString());
        Assert.Equal("alice", vision.GetProperty("ownerUserName").GetString());
        (await other.GetAsync($"projects?workspaceName={workspace}")).AssertError(HttpStatusCode.NotFound);
        (await other.GetAsync($"project?workspaceName={otherWorkspace}&projectId={id}")).AssertError(HttpStatusCode.NotFound);
        (await comet.PostAsync("write/project/delete", new { workspaceName = workspace, projectName = "vision", deleteAllExperiments = true })).Ok();
        Assert.Empty((await comet.GetAsync($"projects?workspaceName={workspace}")).Ok().GetProperty("projects").EnumerateArray());
    }

    /// <summary>One data model: what Comet writes ClearML reads, and the reverse.</summary>
    [Fact]
    public async Task Comet_and_clearml_see_the_same_experiments_metrics_and_parameters()
    {
        var (comet, clearMl, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "shared");
        for (var step = 0; step < 3; step++)
        {
            (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "acc", metricValue = step / 10.0, step })).Ok();
        }
        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "lr", parameterValue = "0.1" })).Ok();

        var task = (await clearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task");
        Assert.Equal("in_progress", task.GetProperty("status").GetString());
        Assert.Equal("0.1", task.GetProperty("hyperparams").GetProperty("General").GetProperty("lr").GetProperty("value").GetString());
        var curve = (await clearMl.CallAsync("events.scalar_metrics_iter_histogram", new { task = key, key = "iter" })).Ok().GetProperty("acc").GetProperty("acc");
        Assert.Equal([0.0, 0.1, 0.2], curve.GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));

        var project = task.GetProperty("project").GetString();
        var clearMlTask = await clearMl.CreateTaskAsync(project!, "from-clearml");
        (await clearMl.CallAsync("tasks.edit", new { task = clearMlTask, hyperparams = new { Args = new { batch = new { section = "Args", name = "batch", value = "64" } } } })).Ok();
        (await clearMl.CallAsync("tasks.started", new { task = clearMlTask })).Ok();
        (await clearMl.AddEventsAsync([new { type = "training_stats_scalar", task = clearMlTask, iter = 5, metric = "loss", variant = "train", value = 0.25 }])).Ok();

        var listed = (await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=shared")).Ok().GetProperty("experiments");
        Assert.Contains(clearMlTask, listed.EnumerateArray().Select(e => e.GetProperty("experimentKey").GetString()));
        var loss = (await comet.GetAsync($"experiment/metrics/summary?experimentKey={clearMlTask}")).Ok().GetProperty("values")[0];
        Assert.Equal("loss", loss.GetProperty("name").GetString());
        Assert.Equal("train", loss.GetProperty("runContextCurrent").GetString());
        Assert.Equal("0.25", loss.GetProperty("valueCurrent").GetString());
        Assert.Equal(5, loss.GetProperty("stepCurrent").GetInt64());
        var parameters = (await comet.GetAsync($"experiment/parameters?experimentKey={clearMlTask}")).Ok().GetProperty("values");
        Assert.Equal("Args/batch", parameters[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task System_metrics_land_as_named_series_with_their_summaries()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace);

        (await comet.PostAsync("write/experiment/gpu-metrics", new { experimentKey = key, gpus = new[] { new { gpuId = 0, freeMemory = 10L, usedMemory = 6L, gpuUtilization = 80, totalMemory = 16L } }, step = 1 })).Ok();
        (await comet.PostAsync("write/experiment/ram-metrics", new { experimentKey = key, totalRam = 64L, usedRam = 12L })).Ok();
        (await comet.PostAsync("write/experiment/cpu-metrics", new { experimentKey = key, cpuPercentUtilization = new[] { 12, 99 } })).Ok();
        (await comet.PostAsync("write/experiment/load-metrics", new { experimentKey = key, loadAverage = 1.5 })).Ok();
        (await comet.PostAsync("write/experiment/ram-metrics", new { experimentKey = key, totalRam = 64L })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/experiment/gpu-metrics", new { experimentKey = key, gpus = Array.Empty<object>() })).AssertError(HttpStatusCode.BadRequest);

        var summary = (await comet.GetAsync($"experiment/metrics/summary?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("valueCurrent").GetString());
        Assert.Equal("80", summary["sys.gpu.0.gpu_utilization"]);
        Assert.Equal("12", summary["sys.ram.used"]);
        Assert.Equal("99", summary["sys.cpu.percent.02"]);
        Assert.Equal("1.5", summary["sys.load.avg"]);
        Assert.Equal(9, summary.Count);
    }

    [Fact]
    public async Task Projects_are_updated_take_notes_and_receive_moved_experiments()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "before");
        var id = (await comet.GetAsync($"project?workspaceName={workspace}&projectName=before")).Ok().GetProperty("projectId").GetString();

        (await comet.PostAsync($"write/project/update?projectId={id}", new { newProjectName = "after", newProjectDescription = "renamed" })).Ok();
        (await comet.PostAsync("write/project/notes", new { projectId = id, notes = "remember the seed" })).Ok();
        (await comet.PostAsync("write/experiment/move", new { targetWorkspaceName = workspace, targetProjectName = "elsewhere", experimentKeys = new[] { key }, symlink = false })).Ok();

        var project = (await comet.GetAsync($"project?workspaceName={workspace}&projectId={id}")).Ok();
        Assert.Equal("after", project.GetProperty("projectName").GetString());
        Assert.Equal("renamed", project.GetProperty("projectDescription").GetString());
        Assert.Equal("remember the seed", (await comet.GetAsync($"project/notes?projectId={id}")).Ok().GetProperty("notes").GetString());
        Assert.Equal("elsewhere", (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok().GetProperty("projectName").GetString());
        (await comet.PostAsync("write/experiment/move", new { targetWorkspaceName = workspace, targetProjectName = "a//b", experimentKeys = new[] { key }, symlink = false })).AssertError(HttpStatusCode.BadRequest);
        Assert.Equal("elsewhere", (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok().GetProperty("projectName").GetString());
    }

    [Fact]
    public async Task Sixty_four_clients_logging_single_points_at_once_lose_nothing()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace);

        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(step =>
            comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = step, step })));

        Assert.All(responses, r => r.Ok());
        var history = (await comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=loss")).Ok().GetProperty("metrics");
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i), history.EnumerateArray().Select(m => m.GetProperty("step").GetInt64()));
        var summary = (await comet.GetAsync($"experiment/metrics/summary?experimentKey={key}")).Ok().GetProperty("values")[0];
        Assert.Equal("63", summary.GetProperty("valueMax").GetString());
        Assert.Equal("0", summary.GetProperty("valueMin").GetString());
        Assert.Equal(63, summary.GetProperty("stepCurrent").GetInt64());
    }

    [Fact]
    public async Task A_metrics_batch_is_stored_whole_or_not_at_all()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace);

        (await comet.PostAsync("write/experiment/metrics/batch", new
        {
            experimentKey = key,
            metrics = new object[]
            {
                new { metricName = "acc", metricValue = 0.5, step = 1 },
                new { metricName = "acc", metricValue = "0.75", step = 2, context = "val" },
                new { metricName = "acc", metricValue = 0.25, step = 3 },
            },
        })).Ok();
        (await comet.PostAsync("write/experiment/metrics/batch", new
        {
            experimentKey = key,
            metrics = new object[] { new { metricName = "acc", metricValue = 9, step = 4 }, new { metricName = "acc", metricValue = "high", step = 5 } },
        })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/experiment/metrics/batch", new { experimentKey = Guid.NewGuid().ToString("N"), metrics = new[] { new { metricName = "acc", metricValue = 1 } } }))
            .AssertError(HttpStatusCode.NotFound);

        var history = (await comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=acc")).Ok().GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 3L], history.Select(m => m.GetProperty("step").GetInt64()).Order());
        Assert.Equal("val", history.Single(m => m.GetProperty("step").GetInt64() == 2).GetProperty("runContext").GetString());
    }

    [Fact]
    public async Task Project_columns_name_the_metrics_parameters_and_others_logged_in_it()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "columns");
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "acc", metricValue = 1 })).Ok();
        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "lr", parameterValue = 1 })).Ok();
        (await comet.PostAsync("write/experiment/log-other", new { experimentKey = key, key = "dataset", value = "x" })).Ok();

        var columns = (await comet.GetAsync($"project/column-names?workspaceName={workspace}&projectName=columns")).Ok().GetProperty("columns")
            .EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("source").GetString())).ToList();

        Assert.Contains(("acc", "metrics"), columns);
        Assert.Contains(("lr", "params"), columns);
        Assert.Contains(("dataset", "log_other"), columns);
        Assert.Contains(("experimentName", "metadata"), columns);
    }

    [Fact]
    public async Task The_multi_metric_chart_returns_each_experiments_curves_and_chosen_parameters()
    {
        var (comet, _, workspace) = await TenantAsync();
        var first = await ExperimentAsync(comet, workspace, "chart");
        var second = await ExperimentAsync(comet, workspace, "chart");
        foreach (var (key, offset) in new[] { (first, 0.0), (second, 10.0) })
        {
            for (var step = 0; step < 3; step++)
            {
                (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = offset + step, step, timestamp = 1_790_000_000_000 + step * 1000 })).Ok();
            }
            (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "lr", parameterValue = offset })).Ok();
        }

        var chart = (await comet.PostAsync("experiments/multi-metric-chart", new { targetedExperiments = new[] { first, second }, metrics = new[] { "loss" }, @params = new[] { "lr" }, independentMetrics = false, fetchFull = true })).Ok();

        Assert.False(chart.GetProperty("empty").GetBoolean());
        var experiments = chart.GetProperty("experiments").EnumerateArray().ToList();
        Assert.Equal([first, second], experiments.Select(e => e.GetProperty("experimentKey").GetString()));
        var loss = experiments[1].GetProperty("metrics")[0];
        Assert.Equal([10.0, 11.0, 12.0], loss.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0L, 1000L, 1000L], loss.GetProperty("durations").EnumerateArray().Select(v => v.GetInt64()));
        Assert.Equal("10", experiments[1].GetProperty("params").GetProperty("lr").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometTestsOnPostgres(PostgresFixture fixture) : CometTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometTestsOnSqlite(SqliteFixture fixture) : CometTests(fixture);
