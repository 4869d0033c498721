using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class PipelinesTests(IServerFixture fixture)
{
    [Fact]
    public async Task Starting_a_pipeline_queues_a_numbered_clone_of_the_controller_with_its_arguments()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("pipes/.pipelines/train");
        var controller = await client.CreateTaskAsync(project, "train", "controller");
        (await client.CallAsync("tasks.edit", new { task = controller, system_tags = new[] { "pipeline" }, hyperparams = new { Args = new { epochs = new { section = "Args", name = "epochs", value = "1" } } } })).Ok();
        var queue = (await client.CallAsync("queues.create", new { name = "services", system_tags = new[] { "default" } })).Ok().GetProperty("id").GetString();

        var started = (await client.CallAsync("pipelines.start_pipeline", new { task = controller, args = new[] { new { name = "epochs", value = "5" } } })).Ok();

        Assert.True(started.GetProperty("enqueued").GetBoolean());
        var run = (await client.CallAsync("tasks.get_by_id", new { task = started.GetProperty("pipeline").GetString() })).Ok().GetProperty("task");
        Assert.Equal("train #1", run.GetProperty("name").GetString());
        Assert.Equal("queued", run.GetProperty("status").GetString());
        Assert.Equal(queue, run.GetProperty("execution").GetProperty("queue").GetString());
        Assert.Equal("5", run.GetProperty("hyperparams").GetProperty("Args").GetProperty("epochs").GetProperty("value").GetString());

        (await client.CallAsync("pipelines.delete_runs", new { project, ids = new[] { controller, run.GetProperty("id").GetString() } })).AssertError(400, 160);
        var deleted = (await client.CallAsync("pipelines.delete_runs", new { project, ids = new[] { run.GetProperty("id").GetString() } })).Ok();
        Assert.Single(deleted.GetProperty("succeeded").EnumerateArray());
        (await client.CallAsync("tasks.get_by_id", new { task = run.GetProperty("id").GetString() })).AssertError(400, 101);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PipelinesTestsOnPostgres(PostgresFixture fixture) : PipelinesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class PipelinesTestsOnSqlite(SqliteFixture fixture) : PipelinesTests(fixture);
