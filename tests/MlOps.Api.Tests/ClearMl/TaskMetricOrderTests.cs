using System.Security.Cryptography;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

/// <summary>
/// tasks.get_all ordered by a metric, keyed as in last_metrics (md5 of metric and variant): how the HyperParameterOptimizer
/// asks for its top experiments (<c>-last_metrics.&lt;md5&gt;.&lt;md5&gt;.value</c>, or min_value/max_value).
/// </summary>
public abstract class TaskMetricOrderTests(IServerFixture fixture)
{
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static readonly string Accuracy = $"last_metrics.{Md5("validation")}.{Md5("accuracy")}";

    private async Task<(ClearMlClient Client, string Project, Dictionary<string, string> Names)> ThreeTasksAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("order-" + Guid.NewGuid().ToString("N")[..8]);
        var names = new Dictionary<string, string>();
        // steady: 0.8 throughout; peaked: up to 0.9, ends at 0.5; silent: reports another metric only
        foreach (var (name, values, metric) in new[] { ("steady", new[] { 0.8, 0.8 }, "validation"), ("peaked", new[] { 0.1, 0.9, 0.5 }, "validation"), ("silent", new[] { 1.0 }, "train") })
        {
            var task = await client.CreateTaskAsync(project, name);
            names[task] = name;
            var events = values.Select((value, iter) => (object)new { type = "training_stats_scalar", task, iter, metric, variant = "accuracy", value, timestamp = 1_700_000_000_000L + iter });
            Assert.Equal(values.Length, (await client.AddEventsAsync(events)).Ok().GetProperty("added").GetInt32());
        }
        return (client, project, names);
    }

    private static async Task<List<string>> OrderAsync(ClearMlClient client, string project, Dictionary<string, string> names, string orderBy, int pageSize = 500)
    {
        var tasks = (await client.CallAsync("tasks.get_all", new { project = new[] { project }, order_by = new[] { orderBy }, page = 0, page_size = pageSize, only_fields = new[] { "id" } }))
            .Ok().GetProperty("tasks");
        return [.. tasks.EnumerateArray().Select(t => names[t.GetProperty("id").GetString()!])];
    }

    [Fact]
    public async Task Tasks_order_by_the_last_min_or_max_value_of_a_metric_with_tasks_lacking_it_as_the_least()
    {
        var (client, project, names) = await ThreeTasksAsync();

        Assert.Equal(["steady", "peaked", "silent"], await OrderAsync(client, project, names, $"-{Accuracy}.value"));
        Assert.Equal(["silent", "peaked", "steady"], await OrderAsync(client, project, names, $"{Accuracy}.value"));
        Assert.Equal(["peaked", "steady", "silent"], await OrderAsync(client, project, names, $"-{Accuracy}.max_value"));
        Assert.Equal(["silent", "peaked", "steady"], await OrderAsync(client, project, names, $"{Accuracy}.min_value"));
        Assert.Equal(["steady"], await OrderAsync(client, project, names, $"-{Accuracy}.value", pageSize: 1));
    }

    [Fact]
    public async Task Ordering_by_a_metric_nobody_reported_changes_nothing_and_fails_nothing()
    {
        var (client, project, names) = await ThreeTasksAsync();

        var byName = await OrderAsync(client, project, names, "name");
        var unknown = (await client.CallAsync("tasks.get_all", new { project = new[] { project }, order_by = new[] { $"-last_metrics.{Md5("nope")}.{Md5("nope")}.value", "name" } })).Ok();

        Assert.Equal(["peaked", "silent", "steady"], byName);
        Assert.Equal(byName, unknown.GetProperty("tasks").EnumerateArray().Select(t => names[t.GetProperty("id").GetString()!]));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class TaskMetricOrderTestsOnPostgres(PostgresFixture fixture) : TaskMetricOrderTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class TaskMetricOrderTestsOnSqlite(SqliteFixture fixture) : TaskMetricOrderTests(fixture);
