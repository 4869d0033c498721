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
}

[Collection(PostgresCollection.Name)]
public sealed class TasksBatchTestsOnPostgres(PostgresFixture fixture) : TasksBatchTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class TasksBatchTestsOnSqlite(SqliteFixture fixture) : TasksBatchTests(fixture);
