using System.Security.Cryptography;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl.Recorded;

/// <summary>
/// The HyperParameterOptimizer run locally, recorded from the unmodified SDK 1.17 (tests/clearml-sdk/run.sh hpo --record):
/// a base experiment, the optimizer's grid search over lr x layers spawning four children as local processes, and a fresh
/// process reading the children, the top experiment and the optimizer's summary back.
/// </summary>
public abstract class SdkReplayHpoTests(IServerFixture fixture) : RecordedSessionTests(fixture)
{
    private static double Score(double lr, int layers) => Math.Round(1.0 - Math.Abs(lr - 0.01) * 2 + 0.05 * layers, 6);

    [Fact]
    public async Task A_recorded_optimization_leaves_its_children_their_scores_and_a_summary()
    {
        var (client, _) = await ReplayAsync("sdk-hpo-base.jsonl", "sdk-hpo-optimize.jsonl");

        var optimizer = await TaskAsync(client, "optimizer");
        var optimizerId = optimizer.GetProperty("id").GetString()!;
        var baseTask = await TaskAsync(client, "hpo base");
        Assert.Equal("optimizer", optimizer.GetProperty("type").GetString());
        Assert.Equal("completed", optimizer.GetProperty("status").GetString());
        Assert.Equal(baseTask.GetProperty("id").GetString(), Param(optimizer, "General", "opt/base_task_id"));

        var children = (await client.CallAsync("tasks.get_all", new { parent = new[] { optimizerId }, only_fields = new[] { "id" } })).Ok()
            .GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
        Assert.Equal(4, children.Count);
        var grid = new List<(double, int)>();
        foreach (var id in children)
        {
            var child = (await client.CallAsync("tasks.get_by_id", new { task = id })).Ok().GetProperty("task");
            var (lr, layers) = (double.Parse(Param(child, "General", "lr")!), int.Parse(Param(child, "General", "layers")!));
            grid.Add((lr, layers));
            Assert.Equal("completed", child.GetProperty("status").GetString());
            Assert.Equal("base", Param(child, "General", "note"));
            Assert.Equal(Score(lr, layers), LastMetric(child, "validation", "accuracy"), 6);
        }
        Assert.Equal([(0.01, 1), (0.01, 3), (0.1, 1), (0.1, 3)], grid.Order());

        var plots = (await client.CallAsync("events.get_task_plots", new { task = optimizerId, iters = 1 })).Ok().GetProperty("plots").EnumerateArray().ToList();
        var summary = plots.Where(p => p.GetProperty("metric").GetString() == "summary").MaxBy(p => p.GetProperty("timestamp").GetInt64())
            .GetProperty("plot_str").GetString()!;
        Assert.All(children, id => Assert.Contains(id, summary));
        var objective = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task = optimizerId, key = "iter" })).Ok();
        Assert.True(objective.TryGetProperty("validation/accuracy", out _), objective.ToString());
    }

    [Fact]
    public async Task The_top_experiments_come_first_when_children_are_ordered_by_their_objective()
    {
        var (client, _) = await ReplayAsync("sdk-hpo-base.jsonl", "sdk-hpo-optimize.jsonl", "sdk-hpo-read.jsonl");

        var optimizer = await TaskAsync(client, "optimizer");
        var md5 = (string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
        var top = (await client.CallAsync("tasks.get_all", new
        {
            parent = new[] { optimizer.GetProperty("id").GetString() },
            order_by = new[] { $"-last_metrics.{md5("validation")}.{md5("accuracy")}.value" },
            page = 0,
            page_size = 4,
            only_fields = new[] { "id", "last_metrics" },
        })).Ok().GetProperty("tasks").EnumerateArray().Select(t => LastMetric(t, "validation", "accuracy"));

        Assert.Equal([1.15, 1.05, 0.97, 0.87], top.Select(v => Math.Round(v, 6)));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class SdkReplayHpoTestsOnPostgres(PostgresFixture fixture) : SdkReplayHpoTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class SdkReplayHpoTestsOnSqlite(SqliteFixture fixture) : SdkReplayHpoTests(fixture);
