using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class TasksBatchTests(IServerFixture fixture)
{
    private async Task<(ClearMlClient Client, string Project)> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return (client, await client.CreateProjectAsync("batch"));
    }

    [Fact]
    public async Task Many_calls_apply_to_each_id_and_report_failures_per_id()
    {
        var (client, project) = await TenantAsync();
        var draft = await client.CreateTaskAsync(project, "draft");
        var running = await client.CreateTaskAsync(project, "running");
        (await client.CallAsync("tasks.started", new { task = running })).Ok();

        var deleted = (await client.CallAsync("tasks.delete_many", new { ids = new[] { draft, running } })).Ok();

        Assert.Equal([draft], deleted.GetProperty("succeeded").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var failure = Assert.Single(deleted.GetProperty("failed").EnumerateArray());
        Assert.Equal(running, failure.GetProperty("id").GetString());
        Assert.Equal([400, 123], failure.GetProperty("error").GetProperty("codes").EnumerateArray().Select(c => c.GetInt32()));
        var reset = (await client.CallAsync("tasks.reset_many", new { ids = new[] { running } })).Ok();
        Assert.Equal("created", reset.GetProperty("succeeded")[0].GetProperty("fields").GetProperty("status").GetString());
        (await client.CallAsync("tasks.delete_many", new { ids = Array.Empty<string>() })).AssertError(400, 12);
    }

    [Fact]
    public async Task Reset_and_delete_many_answer_the_cleanup_the_web_ui_reads()
    {
        var (client, project) = await TenantAsync();
        var queued = await client.CreateTaskAsync(project, "queued");
        var queue = (await client.CallAsync("queues.create", new { name = "cleanup" })).Ok().GetProperty("id").GetString()!;
        (await client.CallAsync("tasks.enqueue", new { task = queued, queue })).Ok();
        (await client.CallAsync("tasks.add_or_update_artifacts", new
        {
            task = queued, artifacts = new[] { new { key = "stats", type = "dict", uri = "http://files/stats.json", mode = "output" } },
        })).Ok();

        var reset = (await client.CallAsync("tasks.reset_many", new { ids = new[] { queued }, return_file_urls = true, force = true }))
            .Ok().GetProperty("succeeded")[0];
        var deleted = (await client.CallAsync("tasks.delete_many", new { ids = new[] { queued }, return_file_urls = true, force = true }))
            .Ok().GetProperty("succeeded")[0];

        Assert.True(reset.GetProperty("dequeued").GetBoolean());
        Assert.Equal((0, 0, 0), (reset.GetProperty("updated_children").GetInt32(), reset.GetProperty("updated_models").GetInt32(),
            reset.GetProperty("deleted_models").GetInt32()));
        foreach (var list in new[] { "model_urls", "artifact_urls", "event_urls" })
        {
            Assert.Equal(JsonValueKind.Array, reset.GetProperty("urls").GetProperty(list).ValueKind);
        }
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal("http://files/stats.json", Assert.Single(deleted.GetProperty("urls").GetProperty("artifact_urls").EnumerateArray()).GetString());
        Assert.Empty(deleted.GetProperty("urls").GetProperty("model_urls").EnumerateArray());
    }

    [Fact]
    public async Task Publishing_a_task_publishes_its_last_output_model()
    {
        var (client, project) = await TenantAsync();
        var task = await client.CreateTaskAsync(project, "trained");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        var model = (await client.CallAsync("models.create", new { name = "weights", uri = "http://files/w.pt", project, task, ready = false }))
            .Ok().GetProperty("id").GetString()!;
        (await client.CallAsync("tasks.add_or_update_model", new { task, name = "best", model, type = "output" })).Ok();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();

        (await client.CallAsync("tasks.publish_many", new { ids = new[] { task } })).Ok();

        Assert.True((await client.CallAsync("models.get_by_id", new { model })).Ok().GetProperty("model").GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Publish_many_publishes_stopped_tasks()
    {
        var (client, project) = await TenantAsync();
        var task = await client.CreateTaskAsync(project, "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();

        var published = (await client.CallAsync("tasks.publish_many", new { ids = new[] { task } })).Ok();

        Assert.Equal("published", published.GetProperty("succeeded")[0].GetProperty("fields").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Move_puts_tasks_into_a_project_by_id_or_by_new_name()
    {
        var (client, project) = await TenantAsync();
        var task = await client.CreateTaskAsync(project, "t");

        var moved = (await client.CallAsync("tasks.move", new { ids = new[] { task }, project_name = "elsewhere/deep" })).Ok();

        var target = moved.GetProperty("project_id").GetString();
        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Equal(target, doc.GetProperty("project").GetString());
        Assert.Equal("elsewhere/deep", (await client.CallAsync("projects.get_by_id", new { project = target })).Ok().GetProperty("project").GetProperty("name").GetString());
        (await client.CallAsync("tasks.move", new { ids = new[] { task } })).AssertError(400, 11);
    }

    [Fact]
    public async Task Types_lists_the_task_types_in_use()
    {
        var (client, project) = await TenantAsync();
        await client.CreateTaskAsync(project, "a", "training");
        await client.CreateTaskAsync(project, "b", "controller");

        var types = (await client.CallAsync("tasks.get_types", new { projects = new[] { project } })).Ok().GetProperty("types");

        Assert.Equal(["controller", "training"], types.EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Validate_and_get_by_id_ex_check_their_input()
    {
        var (client, project) = await TenantAsync();
        var task = await client.CreateTaskAsync(project, "t");

        (await client.CallAsync("tasks.validate", new { name = "x", type = "training" })).Ok();
        (await client.CallAsync("tasks.validate", new { name = "x" })).AssertError(400, 12);
        var found = (await client.CallAsync("tasks.get_by_id_ex", new { id = new[] { task } })).Ok().GetProperty("tasks")[0];
        Assert.Equal(project, found.GetProperty("project").GetProperty("id").GetString());
        (await client.CallAsync("tasks.get_by_id_ex", new { })).AssertError(400, 11);
    }

    /// <summary>The legacy bulk update: one JSON line per task, every task checked before any is changed.</summary>
    [Fact]
    public async Task Update_batch_updates_each_task_of_its_json_lines()
    {
        var (client, project) = await TenantAsync();
        var first = await client.CreateTaskAsync(project, "first");
        var second = await client.CreateTaskAsync(project, "second");
        (await client.CallAsync("tasks.started", new { task = second })).Ok();

        var lines = $"{{\"task\": \"{first}\", \"name\": \"renamed\", \"tags\": [\"a\"]}}\n{{\"task\": \"{second}\", \"comment\": \"running\"}}\n{{\"task\": \"{first}\", \"name\": \"renamed again\"}}";
        var updated = await BatchAsync(client, lines);
        var missing = await BatchAsync(client, $"{{\"task\": \"{first}\", \"name\": \"never\"}}\n{{\"task\": \"{Guid.NewGuid():N}\", \"name\": \"x\"}}");

        Assert.Equal(2, updated.Ok().GetProperty("updated").GetInt32());
        var doc = (await client.CallAsync("tasks.get_by_id", new { task = first })).Ok().GetProperty("task");
        Assert.Equal("renamed again", doc.GetProperty("name").GetString());
        Assert.Empty(doc.GetProperty("tags").EnumerateArray());
        Assert.Equal("running", (await client.CallAsync("tasks.get_by_id", new { task = second })).Ok().GetProperty("task").GetProperty("comment").GetString());
        missing.AssertError(400, 101);
        Assert.Equal("renamed again", (await client.CallAsync("tasks.get_by_id", new { task = first })).Ok().GetProperty("task").GetProperty("name").GetString());
        (await BatchAsync(client, "")).AssertError(400, 17);
        (await BatchAsync(client, "{\"name\": \"no task\"}")).AssertError(400, 12);
    }

    private static Task<ClearMlResponse> BatchAsync(ClearMlClient client, string lines)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2.23/tasks.update_batch")
        {
            Content = new StringContent(lines, System.Text.Encoding.UTF8, "application/json-lines"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", client.Token);
        return client.SendAsync(request);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class TasksBatchTestsOnPostgres(PostgresFixture fixture) : TasksBatchTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class TasksBatchTestsOnSqlite(SqliteFixture fixture) : TasksBatchTests(fixture);
