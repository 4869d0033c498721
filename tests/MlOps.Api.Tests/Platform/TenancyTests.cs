using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

public abstract class TenancyTests(IServerFixture fixture)
{
    [Fact]
    public async Task Two_workspaces_never_see_or_touch_each_others_projects_and_tasks()
    {
        var keysA = await fixture.Factory.CreateTenantAsync();
        var keysB = await fixture.Factory.CreateTenantAsync();
        var a = await fixture.Factory.ClearMl().LoginAsync(keysA.AccessKey, keysA.SecretKey);
        var b = await fixture.Factory.ClearMl().LoginAsync(keysB.AccessKey, keysB.SecretKey);
        var projectA = await a.CreateProjectAsync("shared-name");
        var taskA = await a.CreateTaskAsync(projectA, "secret-task");
        var projectB = await b.CreateProjectAsync("shared-name");

        var projectsSeenByB = (await b.CallAsync("projects.get_all", new { name = "^shared-name$" })).Ok().GetProperty("projects");
        Assert.Equal([projectB], projectsSeenByB.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Empty((await b.CallAsync("tasks.get_all", new { id = new[] { taskA } })).Ok().GetProperty("tasks").EnumerateArray());
        Assert.Empty((await b.CallAsync("tasks.get_all", new { project = new[] { projectA } })).Ok().GetProperty("tasks").EnumerateArray());
        (await b.CallAsync("tasks.get_by_id", new { task = taskA })).AssertError(400, 101);
        (await b.CallAsync("projects.get_by_id", new { project = projectA })).AssertError(400, 401);
        (await b.CallAsync("tasks.edit", new { task = taskA, force = true, name = "stolen" })).AssertError(400, 101);
        (await b.CallAsync("tasks.started", new { task = taskA })).AssertError(400, 101);
        (await b.CallAsync("tasks.delete", new { task = taskA, force = true })).AssertError(400, 101);
        (await b.CallAsync("projects.delete", new { project = projectA, force = true })).AssertError(400, 401);
        (await b.CallAsync("tasks.create", new { name = "x", type = "training", project = projectA })).AssertError(400, 16);

        var stillThere = (await a.CallAsync("tasks.get_by_id", new { task = taskA })).Ok().GetProperty("task");
        Assert.Equal("secret-task", stillThere.GetProperty("name").GetString());
        Assert.Equal("created", stillThere.GetProperty("status").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class TenancyTestsOnPostgres(PostgresFixture fixture) : TenancyTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class TenancyTestsOnSqlite(SqliteFixture fixture) : TenancyTests(fixture);
