using System.Text.RegularExpressions;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class ProjectsTests(IServerFixture fixture)
{
    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    private static IEnumerable<string?> Names(System.Text.Json.JsonElement data) =>
        data.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString());

    [Fact]
    public async Task The_sdk_finds_a_project_by_its_escaped_anchored_name()
    {
        var client = await TenantAsync();
        var name = "Team A/exp (v1.2) #3";
        var id = await client.CreateProjectAsync(name);

        var found = (await client.CallAsync("projects.get_all", new
        {
            name = "^" + Regex.Escape(name) + "$",
            only_fields = new[] { "id" },
            search_hidden = true,
            shallow_search = false,
        })).Ok().GetProperty("projects");

        Assert.Equal([id], found.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.False(found[0].TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Creating_a_nested_project_creates_its_parents()
    {
        var client = await TenantAsync();

        var id = await client.CreateProjectAsync("root/mid/leaf");

        var leaf = (await client.CallAsync("projects.get_by_id", new { project = id })).Ok().GetProperty("project");
        Assert.Equal("root/mid/leaf", leaf.GetProperty("name").GetString());
        Assert.Equal("leaf", leaf.GetProperty("basename").GetString());
        Assert.Equal(["leaf", "mid", "root"],
            Names((await client.CallAsync("projects.get_all", new { order_by = new[] { "name" } })).Ok()).Select(n => n!.Split('/')[^1]).Order());
    }

    [Fact]
    public async Task A_duplicate_project_name_is_refused()
    {
        var client = await TenantAsync();
        await client.CreateProjectAsync("dup");

        (await client.CallAsync("projects.create", new { name = "dup" })).AssertError(400, 801);
        (await client.CallAsync("projects.create", new { name = "abc//def" })).AssertError(400, 407);
        (await client.CallAsync("projects.create", new { name = "ab" })).AssertError(400, 800);
        (await client.CallAsync("projects.create", new { name = "ab/cdef" })).AssertError(400, 800);
    }

    [Fact]
    public async Task Concurrent_creators_of_sibling_projects_share_one_parent()
    {
        var client = await TenantAsync();

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.CallAsync("projects.create", new { name = $"shared-parent/step-{i}" })));

        Assert.All(created, response => response.Ok());
        var parents = Names((await client.CallAsync("projects.get_all", new { name = "^shared-parent$" })).Ok());
        Assert.Single(parents);
    }

    [Fact]
    public async Task Hidden_projects_are_listed_only_when_asked_for()
    {
        var client = await TenantAsync();
        var hidden = await client.CreateProjectAsync("pipes/.pipelines/run");
        (await client.CallAsync("projects.update", new { project = hidden, system_tags = new[] { "hidden", "pipeline" } })).Ok();

        Assert.DoesNotContain("pipes/.pipelines/run", Names((await client.CallAsync("projects.get_all", new { search_hidden = false })).Ok()));
        Assert.Contains("pipes/.pipelines/run", Names((await client.CallAsync("projects.get_all", new { search_hidden = true })).Ok()));
    }

    [Fact]
    public async Task Paging_walks_every_project_once_in_order()
    {
        var client = await TenantAsync();
        foreach (var i in Enumerable.Range(0, 5))
        {
            await client.CreateProjectAsync($"page-{i}");
        }

        var pages = new List<string?>();
        for (var page = 0; page < 3; page++)
        {
            pages.AddRange(Names((await client.CallAsync("projects.get_all", new { order_by = new[] { "-name" }, page, page_size = 2 })).Ok()));
        }

        Assert.Equal(["page-4", "page-3", "page-2", "page-1", "page-0"], pages);
    }

    [Fact]
    public async Task Tag_filters_follow_clearmls_operators()
    {
        var client = await TenantAsync();
        async Task Tagged(string name, params string[] tags) =>
            (await client.CallAsync("projects.create", new { name, tags })).Ok();
        await Tagged("t-ab", "a", "b");
        await Tagged("t-a", "a");
        await Tagged("t-b", "b");
        await Tagged("t-none");

        async Task<string[]> Query(params string?[] tags) =>
            [.. Names((await client.CallAsync("projects.get_all", new { tags, order_by = new[] { "name" } })).Ok()).Select(n => n!)];

        Assert.Equal(["t-a", "t-ab", "t-b"], await Query("a", "b"));
        Assert.Equal(["t-ab"], await Query("__$all", "a", "b"));
        Assert.Equal(["t-b", "t-none"], await Query("-a"));
        Assert.Equal(["t-a"], await Query("a", "-b"));
        Assert.Equal(["t-a"], await Query("__$all", "a", "__$not", "b"));
        Assert.Equal(["t-none"], await Query(new string?[] { null }));
        (await client.CallAsync("projects.get_all", new { tags = new[] { "__$bogus" } })).AssertError(400, 16);
    }

    [Fact]
    public async Task Renaming_a_project_moves_its_subprojects()
    {
        var client = await TenantAsync();
        var parent = await client.CreateProjectAsync("old");
        var child = await client.CreateProjectAsync("old/child");

        var update = (await client.CallAsync("projects.update", new { project = parent, name = "new" })).Ok();

        Assert.Equal(1, update.GetProperty("updated").GetInt32());
        Assert.Equal("new/child", (await client.CallAsync("projects.get_by_id", new { project = child })).Ok().GetProperty("project").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_project_with_tasks_is_deleted_only_with_force()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("busy");
        var task = await client.CreateTaskAsync(project, "t");

        (await client.CallAsync("projects.delete", new { project })).AssertError(400, 402);
        var deleted = (await client.CallAsync("projects.delete", new { project, force = true })).Ok();

        Assert.Equal(1, deleted.GetProperty("deleted").GetInt32());
        Assert.Equal(1, deleted.GetProperty("disassociated_tasks").GetInt32());
        (await client.CallAsync("projects.get_by_id", new { project })).AssertError(400, 401);
        var orphan = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.False(orphan.TryGetProperty("project", out _));
    }

    [Fact]
    public async Task A_project_holding_only_archived_contents_is_deleted_with_them_as_the_web_ui_asks()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("retired");
        var task = await client.CreateTaskAsync(project, "old run");
        (await client.CallAsync("tasks.add_or_update_artifacts", new
        {
            task, artifacts = new[] { new { key = "stats", type = "dict", uri = "http://files/stats.json", mode = "output" } },
        })).Ok();
        var model = (await client.CallAsync("models.create", new { name = "old weights", uri = "http://files/w.pt", project, task }))
            .Ok().GetProperty("id").GetString()!;
        (await client.CallAsync("tasks.archive_many", new { ids = new[] { task } })).Ok();
        (await client.CallAsync("models.archive_many", new { ids = new[] { model } })).Ok();

        var deleted = (await client.CallAsync("projects.delete", new { project, delete_contents = true, delete_external_artifacts = true })).Ok();

        Assert.Equal((1, 1, 1, 0), (deleted.GetProperty("deleted").GetInt32(), deleted.GetProperty("deleted_tasks").GetInt32(),
            deleted.GetProperty("deleted_models").GetInt32(), deleted.GetProperty("disassociated_tasks").GetInt32()));
        var urls = deleted.GetProperty("urls");
        Assert.Equal("http://files/w.pt", Assert.Single(urls.GetProperty("model_urls").EnumerateArray()).GetString());
        Assert.Equal("http://files/stats.json", Assert.Single(urls.GetProperty("artifact_urls").EnumerateArray()).GetString());
        Assert.Empty(urls.GetProperty("event_urls").EnumerateArray());
        (await client.CallAsync("tasks.get_by_id", new { task })).AssertError(400, 101);
    }

    [Fact]
    public async Task Projects_move_under_a_new_location_and_merge_into_another()
    {
        var client = await TenantAsync();
        var source = await client.CreateProjectAsync("source");
        var child = await client.CreateProjectAsync("source/child");
        var task = await client.CreateTaskAsync(source, "t");
        var destination = await client.CreateProjectAsync("target");

        (await client.CallAsync("projects.move", new { project = child, new_location = "elsewhere" })).Ok();
        Assert.Equal("elsewhere/child", (await client.CallAsync("projects.get_by_id", new { project = child })).Ok().GetProperty("project").GetProperty("name").GetString());
        var grandchild = await client.CreateProjectAsync("source/kept");

        var merged = (await client.CallAsync("projects.merge", new { project = source, destination_project = destination })).Ok();

        Assert.Equal(1, merged.GetProperty("moved_entities").GetInt32());
        Assert.Equal(1, merged.GetProperty("moved_projects").GetInt32());
        Assert.Equal(destination, (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task").GetProperty("project").GetString());
        Assert.Equal("target/kept", (await client.CallAsync("projects.get_by_id", new { project = grandchild })).Ok().GetProperty("project").GetProperty("name").GetString());
        (await client.CallAsync("projects.get_by_id", new { project = source })).AssertError(400, 401);
        (await client.CallAsync("projects.merge", new { project = destination, destination_project = destination })).AssertError(400, 12);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ProjectsTestsOnPostgres(PostgresFixture fixture) : ProjectsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ProjectsTestsOnSqlite(SqliteFixture fixture) : ProjectsTests(fixture);
