using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class QueuesTests(IServerFixture fixture)
{
    private async Task<(ClearMlClient Client, string Project)> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return (client, await client.CreateProjectAsync("queued"));
    }

    private static async Task<string> QueueAsync(ClearMlClient client, string name, params string[] systemTags) =>
        (await client.CallAsync("queues.create", new { name, system_tags = systemTags })).Ok().GetProperty("id").GetString()!;

    private static async Task<string[]> EntriesAsync(ClearMlClient client, string queue) =>
        [.. (await client.CallAsync("queues.get_by_id", new { queue })).Ok().GetProperty("queue").GetProperty("entries")
            .EnumerateArray().Select(e => e.GetProperty("task").GetString()!)];

    [Fact]
    public async Task A_worker_reports_only_queues_and_tasks_of_its_own_workspace()
    {
        var (client, project) = await TenantAsync();
        var (other, otherProject) = await TenantAsync();
        var queue = await QueueAsync(client, "mine");
        var task = await client.CreateTaskAsync(project, "t");
        var foreignQueue = await QueueAsync(other, "theirs");
        var foreignTask = await other.CreateTaskAsync(otherProject, "t");

        (await client.CallAsync("workers.register", new { worker = "host:1", queues = new[] { queue, foreignQueue } })).AssertError(400, 701);
        (await client.CallAsync("workers.register", new { worker = "host:1", queues = new[] { Guid.NewGuid().ToString("N") } })).AssertError(400, 701);
        (await client.CallAsync("workers.register", new { worker = "host:1", queues = new[] { queue } })).Ok();
        (await client.CallAsync("workers.status_report", new { worker = "host:1", task = foreignTask, timestamp = 1795000000000 })).AssertError(400, 101);
        (await client.CallAsync("workers.status_report", new { worker = "host:1", task, timestamp = 1795000000000 })).Ok();

        var worker = (await client.CallAsync("workers.get_all")).Ok().GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("id").GetString() == "host:1");
        Assert.Equal([queue], worker.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("id").GetString()));
    }

    /// <summary>Task.enqueue(task, queue_name="gpu"): a lookup by id first (a name is not an id), then by exact name, then enqueue.</summary>
    [Fact]
    public async Task Enqueue_by_name_as_the_sdk_does_and_dequeue_again()
    {
        var (client, project) = await TenantAsync();
        var queue = await QueueAsync(client, "gpu");
        var task = await client.CreateTaskAsync(project, "t");

        (await client.CallAsync("queues.get_by_id", new { queue = "gpu" })).AssertError(400, 701);
        var found = (await client.CallAsync("queues.get_all", new { name = "^gpu$", search_hidden = false })).Ok().GetProperty("queues");
        Assert.Equal(queue, found[0].GetProperty("id").GetString());
        var enqueued = (await client.CallAsync("tasks.enqueue", new { task, queue, verify_watched_queue = false })).Ok();

        Assert.Equal(1, enqueued.GetProperty("queued").GetInt32());
        Assert.Equal("queued", enqueued.GetProperty("fields").GetProperty("status").GetString());
        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Equal("queued", doc.GetProperty("status").GetString());
        Assert.Equal(queue, doc.GetProperty("execution").GetProperty("queue").GetString());
        Assert.DoesNotContain("development", doc.GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([task], await EntriesAsync(client, queue));
        (await client.CallAsync("tasks.enqueue", new { task, queue })).AssertError(400, 110);

        var dequeued = (await client.CallAsync("tasks.dequeue", new { task })).Ok();
        Assert.Equal(1, dequeued.GetProperty("dequeued").GetInt32());
        Assert.Equal("created", (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task").GetProperty("status").GetString());
        Assert.Empty(await EntriesAsync(client, queue));
        var again = (await client.CallAsync("tasks.dequeue", new { task })).Ok();
        Assert.Equal(0, again.GetProperty("updated").GetInt32());
    }

    [Fact]
    public async Task Enqueue_without_a_queue_uses_the_default_one()
    {
        var (client, project) = await TenantAsync();
        var task = await client.CreateTaskAsync(project, "t");

        (await client.CallAsync("queues.get_default")).AssertError(400, 707);
        (await client.CallAsync("tasks.enqueue", new { task })).AssertError(400, 707);
        var queue = await QueueAsync(client, "default", "default");

        Assert.Equal(queue, (await client.CallAsync("queues.get_default")).Ok().GetProperty("id").GetString());
        (await client.CallAsync("tasks.enqueue", new { task })).Ok();
        Assert.Equal([task], await EntriesAsync(client, queue));
    }

    /// <summary>clearml-agent's loop: register, pull the next task, start it, report while running.</summary>
    [Fact]
    public async Task An_agent_pulls_each_queued_task_once_in_order_and_reports_it()
    {
        var (client, project) = await TenantAsync();
        var queue = await QueueAsync(client, "cpu");
        var first = await client.CreateTaskAsync(project, "first");
        var second = await client.CreateTaskAsync(project, "second");
        (await client.CallAsync("tasks.enqueue", new { task = first, queue })).Ok();
        (await client.CallAsync("tasks.enqueue", new { task = second, queue })).Ok();
        (await client.CallAsync("workers.register", new { worker = "host:0", queues = new[] { queue }, timeout = 600 })).Ok();

        var next = (await client.CallAsync("queues.get_next_task", new { queue })).Ok().GetProperty("entry");
        Assert.Equal(first, next.GetProperty("task").GetString());
        (await client.CallAsync("tasks.started", new { task = first })).Ok();
        (await client.CallAsync("workers.status_report", new { worker = "host:0", task = first, queue, timestamp = 1795000000000 })).Ok();

        var workers = (await client.CallAsync("workers.get_all", new { })).Ok().GetProperty("workers");
        var worker = Assert.Single(workers.EnumerateArray());
        Assert.Equal("host:0", worker.GetProperty("id").GetString());
        Assert.Equal(first, worker.GetProperty("task").GetProperty("id").GetString());
        Assert.Equal(queue, worker.GetProperty("queues")[0].GetProperty("id").GetString());
        Assert.Equal("host:0", (await client.CallAsync("tasks.get_by_id", new { task = first })).Ok().GetProperty("task").GetProperty("last_worker").GetString());
        Assert.Equal(second, (await client.CallAsync("queues.get_next_task", new { queue })).Ok().GetProperty("entry").GetProperty("task").GetString());
        Assert.False((await client.CallAsync("queues.get_next_task", new { queue })).Ok().TryGetProperty("entry", out _));

        (await client.CallAsync("workers.unregister", new { worker = "host:0" })).Ok();
        Assert.Empty((await client.CallAsync("workers.get_all", new { })).Ok().GetProperty("workers").EnumerateArray());
        (await client.CallAsync("workers.unregister", new { worker = "host:0" })).Ok();
    }

    [Fact]
    public async Task Concurrent_agents_never_receive_the_same_task()
    {
        var (client, project) = await TenantAsync();
        var queue = await QueueAsync(client, "shared");
        var tasks = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var task = await client.CreateTaskAsync(project, $"t{i}");
            (await client.CallAsync("queues.add_task", new { queue, task })).Ok();
            tasks.Add(task);
        }

        var pulls = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.CallAsync("queues.get_next_task", new { queue })));

        var received = pulls.Select(p => p.Ok()).Where(d => d.TryGetProperty("entry", out _)).Select(d => d.GetProperty("entry").GetProperty("task").GetString()!).ToList();
        Assert.Equal(tasks.Order(), received.Order());
    }

    [Fact]
    public async Task Entries_move_within_the_queue()
    {
        var (client, project) = await TenantAsync();
        var queue = await QueueAsync(client, "ordered");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var task = await client.CreateTaskAsync(project, $"t{i}");
            (await client.CallAsync("tasks.enqueue", new { task, queue })).Ok();
            ids.Add(task);
        }

        Assert.Equal(0, (await client.CallAsync("queues.move_task_to_front", new { queue, task = ids[2] })).Ok().GetProperty("position").GetInt32());
        (await client.CallAsync("queues.move_task_backward", new { queue, task = ids[0] })).Ok();

        Assert.Equal([ids[2], ids[1], ids[0]], await EntriesAsync(client, queue));
        Assert.Equal(3, (await client.CallAsync("queues.get_num_entries", new { queue })).Ok().GetProperty("num").GetInt32());
        Assert.Equal(ids[2], (await client.CallAsync("queues.peek_task", new { queue })).Ok().GetProperty("task").GetString());
        (await client.CallAsync("queues.move_task_forward", new { queue, task = Guid.NewGuid().ToString("N") })).AssertError(400, 703);
    }

    [Fact]
    public async Task A_queue_with_entries_is_deleted_only_with_force_which_requeues_nothing()
    {
        var (client, project) = await TenantAsync();
        var queue = await QueueAsync(client, "doomed");
        var task = await client.CreateTaskAsync(project, "t");
        (await client.CallAsync("tasks.enqueue", new { task, queue })).Ok();

        (await client.CallAsync("queues.delete", new { queue })).AssertError(400, 702);
        (await client.CallAsync("queues.delete", new { queue, force = true })).Ok();

        (await client.CallAsync("queues.get_by_id", new { queue })).AssertError(400, 701);
        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Equal("created", doc.GetProperty("status").GetString());
        Assert.False(doc.GetProperty("execution").TryGetProperty("queue", out _));
    }

    [Fact]
    public async Task Stopping_a_task_run_by_a_live_worker_asks_the_worker_and_a_queued_one_leaves_its_queue()
    {
        var (client, project) = await TenantAsync();
        var queue = await QueueAsync(client, "runs");
        var remote = await client.CreateTaskAsync(project, "remote");
        (await client.CallAsync("tasks.edit", new { task = remote, system_tags = Array.Empty<string>() })).Ok();
        (await client.CallAsync("tasks.started", new { task = remote })).Ok();
        (await client.CallAsync("workers.status_report", new { worker = "agent:1", task = remote })).Ok();
        var waiting = await client.CreateTaskAsync(project, "waiting");
        (await client.CallAsync("tasks.enqueue", new { task = waiting, queue })).Ok();

        var asked = (await client.CallAsync("tasks.stop", new { task = remote, status_reason = "user abort" })).Ok();
        var stopped = (await client.CallAsync("tasks.stop_many", new { ids = new[] { waiting } })).Ok();

        Assert.Equal("stopping", asked.GetProperty("fields").GetProperty("status_message").GetString());
        Assert.Equal("in_progress", (await client.CallAsync("tasks.get_by_id", new { task = remote })).Ok().GetProperty("task").GetProperty("status").GetString());
        Assert.Equal("stopped", stopped.GetProperty("succeeded")[0].GetProperty("fields").GetProperty("status").GetString());
        Assert.Empty(await EntriesAsync(client, queue));
    }

    [Fact]
    public async Task Another_workspace_cannot_see_or_use_a_queue()
    {
        var (owner, project) = await TenantAsync();
        var (intruder, intruderProject) = await TenantAsync();
        var queue = await QueueAsync(owner, "private");
        var task = await intruder.CreateTaskAsync(intruderProject, "t");

        (await intruder.CallAsync("queues.get_by_id", new { queue })).AssertError(400, 701);
        (await intruder.CallAsync("tasks.enqueue", new { task, queue })).AssertError(400, 701);
        (await intruder.CallAsync("queues.get_next_task", new { queue })).AssertError(400, 701);
        Assert.Empty((await intruder.CallAsync("queues.get_all", new { })).Ok().GetProperty("queues").EnumerateArray());
        (await owner.CallAsync("queues.create", new { name = "private" })).AssertError(400, 801);
        Assert.NotNull(project);
    }

    [Fact]
    public async Task Queue_metadata_is_set_merged_and_deleted_by_key()
    {
        var (client, _) = await TenantAsync();
        var queue = await QueueAsync(client, "meta");

        (await client.CallAsync("queues.add_or_update_metadata", new { queue, metadata = new[] { new { key = "gpu", type = "str", value = "a100" }, new { key = "zone", type = "str", value = "eu" } } })).Ok();
        (await client.CallAsync("queues.add_or_update_metadata", new { queue, metadata = new[] { new { key = "gpu", type = "str", value = "h100" } } })).Ok();
        (await client.CallAsync("queues.delete_metadata", new { queue, keys = new[] { "zone" } })).Ok();

        var metadata = (await client.CallAsync("queues.get_by_id", new { queue })).Ok().GetProperty("queue").GetProperty("metadata");
        Assert.Equal(["gpu"], metadata.EnumerateObject().Select(p => p.Name));
        Assert.Equal("h100", metadata.GetProperty("gpu").GetProperty("value").GetString());
        (await client.CallAsync("queues.add_or_update_metadata", new { queue, metadata = Array.Empty<object>() })).AssertError(400, 12);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class QueuesTestsOnPostgres(PostgresFixture fixture) : QueuesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class QueuesTestsOnSqlite(SqliteFixture fixture) : QueuesTests(fixture);
