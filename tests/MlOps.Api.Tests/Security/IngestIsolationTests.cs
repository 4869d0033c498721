using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// The ingest paths that go around the context's tenant filter (group-committed single points, batches, COPY,
/// the series-id cache) only ever write the caller's workspace: a point or event aimed at another workspace's
/// experiment is that surface's not-found, and the owner's summaries, series and events stay as they were.
/// </summary>
public abstract class IngestIsolationTests(IServerFixture fixture)
{
    private sealed record Tenant(ClearMlClient ClearMl, CometClient Comet);

    private async Task<Tenant> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return new Tenant(clearMl, new CometClient(fixture.Factory.CreateClient(), keys.ApiKey));
    }

    private static async Task<string> CometExperimentAsync(Tenant tenant)
    {
        var workspace = (await tenant.Comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames")[0].GetString()!;
        return (await tenant.Comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "ingest-" + Guid.NewGuid().ToString("N")[..8] }))
            .Ok().GetProperty("experimentKey").GetString()!;
    }

    [Fact]
    public async Task Comet_points_aimed_at_another_workspaces_experiment_are_not_found_and_change_nothing()
    {
        var owner = await TenantAsync();
        var intruder = await TenantAsync();
        var experiment = await CometExperimentAsync(owner);
        // The owner's write fills the series-id cache, so the intruder's point would find the series there.
        (await owner.Comet.PostAsync("write/experiment/metric", new { experimentKey = experiment, metricName = "loss", metricValue = 1.0, step = 1 })).Ok();
        var before = (await owner.Comet.GetAsync($"experiment/metrics/summary?experimentKey={experiment}")).Ok().GetRawText();

        (await intruder.Comet.PostAsync("write/experiment/metric", new { experimentKey = experiment, metricName = "loss", metricValue = 99.0, step = 5 }))
            .AssertError(HttpStatusCode.NotFound);
        (await intruder.Comet.PostAsync("write/experiment/metric", new { experimentKey = experiment, metricName = "planted", metricValue = 7.0, step = 1 }))
            .AssertError(HttpStatusCode.NotFound);
        (await intruder.Comet.PostAsync("write/experiment/metrics/batch", new
        {
            experimentKey = experiment,
            metrics = new[] { new { metricName = "loss", metricValue = 50.0, step = 9 }, new { metricName = "planted-batch", metricValue = 3.0, step = 1 } },
        })).AssertError(HttpStatusCode.NotFound);
        (await intruder.Comet.PostAsync("write/experiment/ram-metrics", new { experimentKey = experiment, totalRam = 10, usedRam = 5 }))
            .AssertError(HttpStatusCode.NotFound);

        Assert.Equal(before, (await owner.Comet.GetAsync($"experiment/metrics/summary?experimentKey={experiment}")).Ok().GetRawText());
        var history = (await owner.Comet.GetAsync($"experiment/metrics/get-metric?experimentKey={experiment}&metricName=loss")).Ok().GetProperty("metrics");
        Assert.Equal([1.0], history.EnumerateArray().Select(m => double.Parse(m.GetProperty("metricValue").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_mixed_single_point_batch_commits_the_callers_own_point_and_refuses_the_foreign_one()
    {
        var owner = await TenantAsync();
        var intruder = await TenantAsync();
        var ownersExperiment = await CometExperimentAsync(owner);
        var intrudersExperiment = await CometExperimentAsync(intruder);

        // Concurrent single points land in one group-commit batch per workspace: the foreign one must fail alone.
        var calls = Enumerable.Range(0, 16).Select(i => intruder.Comet.PostAsync("write/experiment/metric", new
        {
            experimentKey = i % 2 == 0 ? ownersExperiment : intrudersExperiment, metricName = "acc", metricValue = (double)i, step = i,
        })).ToList();
        var answers = await Task.WhenAll(calls);
        for (var i = 0; i < answers.Length; i++)
        {
            if (i % 2 == 0)
            {
                answers[i].AssertError(HttpStatusCode.NotFound);
            }
            else
            {
                answers[i].Ok();
            }
        }
        Assert.Empty((await owner.Comet.GetAsync($"experiment/metrics/summary?experimentKey={ownersExperiment}")).Ok().GetProperty("values").EnumerateArray());
        var own = (await intruder.Comet.GetAsync($"experiment/metrics/summary?experimentKey={intrudersExperiment}")).Ok().GetProperty("values");
        Assert.Equal(15, own.EnumerateArray().Single().GetProperty("stepCurrent").GetInt64());
        Assert.Equal(1, own.EnumerateArray().Single().GetProperty("stepMin").GetInt64());
    }

    [Fact]
    public async Task ClearMl_scalars_and_logs_aimed_at_another_workspaces_task_are_refused()
    {
        var owner = await TenantAsync();
        var intruder = await TenantAsync();
        var task = await owner.ClearMl.CreateTaskAsync(await owner.ClearMl.CreateProjectAsync("owner-" + Guid.NewGuid().ToString("N")[..8]), "t");
        var ownTask = await intruder.ClearMl.CreateTaskAsync(await intruder.ClearMl.CreateProjectAsync("intruder-" + Guid.NewGuid().ToString("N")[..8]), "t");
        (await owner.ClearMl.AddEventsAsync([new { type = "training_stats_scalar", task, iter = 1, metric = "m", variant = "v", value = 1.0 }])).Ok();
        var before = await OwnerViewAsync(owner.ClearMl, task);

        var scalars = Enumerable.Range(0, 600).Select(i => (object)new { type = "training_stats_scalar", task, iter = i, metric = i % 2 == 0 ? "m" : "planted", variant = "v", value = 42.0 });
        Assert.NotEqual(HttpStatusCode.OK, (await intruder.ClearMl.AddEventsAsync(scalars)).Status); // a COPY-sized batch
        Assert.NotEqual(HttpStatusCode.OK, (await intruder.ClearMl.AddEventsAsync([new { type = "log", task, level = "info", msg = "planted", worker = "w" }])).Status);
        // Mixed with the intruder's own task, ClearML's rule holds: what is acceptable is added, the rest counted as errors.
        var mixed = (await intruder.ClearMl.AddEventsAsync([
            new { type = "training_stats_scalar", task = ownTask, iter = 1, metric = "m", variant = "v", value = 1.0 },
            new { type = "log", task, level = "info", msg = "planted", worker = "w" },
        ])).Ok();
        Assert.Equal(1, mixed.GetProperty("added").GetInt32());
        Assert.Equal(1, mixed.GetProperty("errors").GetInt32());

        Assert.Equal(before, await OwnerViewAsync(owner.ClearMl, task));
        var ownScalars = (await intruder.ClearMl.CallAsync("events.get_task_latest_scalar_values", new { task = ownTask })).Ok().GetProperty("metrics");
        Assert.Single(ownScalars.EnumerateArray());
    }

    private static async Task<string> OwnerViewAsync(ClearMlClient owner, string task) => string.Join("\n",
        (await owner.CallAsync("events.get_task_latest_scalar_values", new { task })).Ok().GetRawText(),
        (await owner.CallAsync("events.scalar_metrics_iter_histogram", new { task })).Ok().GetRawText(),
        (await owner.CallAsync("events.get_task_log", new { task })).Ok().GetProperty("events").GetRawText(),
        (await owner.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task").GetProperty("last_iteration").GetRawText());
}

[Collection(PostgresCollection.Name)]
public sealed class IngestIsolationTestsOnPostgres(PostgresFixture fixture) : IngestIsolationTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class IngestIsolationTestsOnSqlite(SqliteFixture fixture) : IngestIsolationTests(fixture);
