using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

/// <summary>Requests the real clients send that the schema allows in a form the plain reading misses.</summary>
public abstract class ClientQuirksTests(IServerFixture fixture)
{
    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    /// <summary>PipelineController's read-back of its steps: <c>parent</c> is one id, not a list.</summary>
    [Fact]
    public async Task Get_all_takes_parent_as_one_id_as_the_pipeline_controller_sends_it()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("pipes");
        var controller = await client.CreateTaskAsync(project, "controller", "controller");
        var step = await client.CreateTaskAsync(project, "step");
        await client.CreateTaskAsync(project, "unrelated");
        (await client.CallAsync("tasks.edit", new { task = step, parent = controller })).Ok();

        var found = (await client.CallAsync("tasks.get_all", new { parent = controller, only_fields = new[] { "id", "name" } })).Ok().GetProperty("tasks");

        Assert.Equal([step], found.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var byList = (await client.CallAsync("tasks.get_all", new { parent = new[] { controller }, project = project })).Ok().GetProperty("tasks");
        Assert.Equal([step], byList.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        (await client.CallAsync("tasks.get_all", new { parent = 5 })).AssertError(400, 12);
    }

    /// <summary>
    /// Dataset.create(parent_datasets=...) reads <c>runtime.version</c> of the parents: the projection keeps the empty
    /// runtime (and any other enclosing object that exists) rather than leaving it out.
    /// </summary>
    [Fact]
    public async Task A_projection_keeps_each_enclosing_object_even_when_the_nested_field_is_missing()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("datasets");
        var task = await client.CreateTaskAsync(project, "dataset", "data_processing");

        var projected = (await client.CallAsync("tasks.get_all", new { id = new[] { task }, only_fields = new[] { "id", "runtime.version" } }))
            .Ok().GetProperty("tasks")[0];
        var deep = (await client.CallAsync("tasks.get_all", new { id = new[] { task }, only_fields = new[] { "execution.docker.image", "script.requirements.pip" } }))
            .Ok().GetProperty("tasks")[0];
        var model = (await client.CallAsync("models.create", new { name = "model", uri = "file:///m.pt", project, task })).Ok().GetProperty("id").GetString();
        var modelProjected = (await client.CallAsync("models.get_all", new { id = new[] { model }, only_fields = new[] { "metadata.version" } }))
            .Ok().GetProperty("models")[0];

        Assert.Empty(projected.GetProperty("runtime").EnumerateObject());
        Assert.Equal(["execution", "script", "id"], deep.EnumerateObject().Select(p => p.Name));
        Assert.False(deep.GetProperty("execution").TryGetProperty("docker", out _));
        Assert.False(projected.TryGetProperty("parent", out _));
        Assert.Empty(modelProjected.GetProperty("metadata").EnumerateObject());
        (await client.CallAsync("tasks.edit", new { task, runtime = new { version = "1.0.0" } })).Ok();
        var versioned = (await client.CallAsync("tasks.get_all", new { id = new[] { task }, only_fields = new[] { "id", "runtime.version" } })).Ok();
        Assert.Equal("1.0.0", versioned.GetProperty("tasks")[0].GetProperty("runtime").GetProperty("version").GetString());
    }

    /// <summary>clearml-agent's <c>list</c>: <c>last_seen: 0</c> means no limit.</summary>
    [Fact]
    public async Task Workers_listed_with_last_seen_zero_are_all_the_live_workers()
    {
        var client = await TenantAsync();
        (await client.CallAsync("workers.register", new { worker = "host:0", timeout = 600 })).Ok();

        var all = (await client.CallAsync("workers.get_all", new { last_seen = 0 })).Ok().GetProperty("workers");
        var count = (await client.CallAsync("workers.get_count", new { last_seen = 0 })).Ok().GetProperty("count").GetInt32();

        Assert.Equal(["host:0"], all.EnumerateArray().Select(w => w.GetProperty("id").GetString()));
        Assert.Equal(1, count);
    }

    /// <summary>The agent dequeues a task it already started with a new status: the status changes, as ClearML's server does.</summary>
    [Fact]
    public async Task Dequeue_with_a_new_status_changes_a_started_task()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("agent");
        var queue = (await client.CallAsync("queues.create", new { name = "q" })).Ok().GetProperty("id").GetString()!;
        var task = await client.CreateTaskAsync(project, "t");
        (await client.CallAsync("tasks.enqueue", new { task, queue })).Ok();
        (await client.CallAsync("queues.get_next_task", new { queue })).Ok();
        (await client.CallAsync("tasks.started", new { task })).Ok();

        var dequeued = (await client.CallAsync("tasks.dequeue", new { task, new_status = "stopped", status_reason = "aborted by agent" })).Ok();

        Assert.Equal(1, dequeued.GetProperty("dequeued").GetInt32());
        Assert.Equal(1, dequeued.GetProperty("updated").GetInt32());
        Assert.Equal("stopped", dequeued.GetProperty("fields").GetProperty("status").GetString());
        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Equal("stopped", doc.GetProperty("status").GetString());
        Assert.Equal("aborted by agent", doc.GetProperty("status_reason").GetString());
        var unchanged = (await client.CallAsync("tasks.dequeue", new { task })).Ok();
        Assert.Equal(0, unchanged.GetProperty("updated").GetInt32());
        (await client.CallAsync("tasks.dequeue", new { task, new_status = "nonsense" })).AssertError(400, 16);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ClientQuirksTestsOnPostgres(PostgresFixture fixture) : ClientQuirksTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ClientQuirksTestsOnSqlite(SqliteFixture fixture) : ClientQuirksTests(fixture);
