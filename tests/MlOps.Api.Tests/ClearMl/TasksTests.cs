using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class TasksTests(IServerFixture fixture)
{
    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    private static async Task<JsonElement> GetTaskAsync(ClearMlClient client, string task) =>
        (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");

    /// <summary>The calls Task.init ... task.close() makes, with the bodies the SDK 1.17 sends.</summary>
    [Fact]
    public async Task Task_init_flow_round_trips_everything_the_sdk_reads_back()
    {
        var client = await TenantAsync();
        var lookup = (await client.CallAsync("projects.get_all", new { name = "^examples$", only_fields = new[] { "id" }, search_hidden = true, shallow_search = false })).Ok();
        Assert.Empty(lookup.GetProperty("projects").EnumerateArray());
        var project = (await client.CallAsync("projects.create", new { name = "examples", description = "" })).Ok().GetProperty("id").GetString()!;
        var task = (await client.CallAsync("tasks.create", new
        {
            name = "train",
            type = "training",
            comment = "Auto-generated at 2026-11-23 by dev@host",
            project,
            system_tags = new[] { "development" },
        })).Ok().GetProperty("id").GetString()!;
        Assert.Equal("created", (await GetTaskAsync(client, task)).GetProperty("status").GetString());

        var started = (await client.CallAsync("tasks.started", new { task, force = false })).Ok();
        Assert.Equal(1, started.GetProperty("started").GetInt32());
        Assert.Equal("in_progress", started.GetProperty("fields").GetProperty("status").GetString());
        Assert.Equal("examples", (await client.CallAsync("projects.get_by_id", new { project })).Ok().GetProperty("project").GetProperty("name").GetString());

        (await client.CallAsync("tasks.edit", new
        {
            task,
            force = true,
            script = new { binary = "python3", repository = "https://example.com/repo.git", branch = "main", version_num = "abc123", entry_point = "train.py", working_dir = ".", diff = "", requirements = new { } },
        })).Ok();
        (await client.CallAsync("tasks.edit", new
        {
            task,
            force = true,
            hyperparams = new Dictionary<string, object>
            {
                ["General"] = new Dictionary<string, object>
                {
                    ["lr"] = new { section = "General", name = "lr", value = "0.001", type = "float" },
                    ["layers"] = new { section = "General", name = "layers", value = "[64, 128]", type = "list" },
                },
                ["Args"] = new Dictionary<string, object> { ["batch"] = new { section = "Args", name = "batch", value = "32", type = "int", description = "batch size" } },
            },
        })).Ok();
        (await client.CallAsync("tasks.edit", new
        {
            task,
            force = true,
            configuration = new Dictionary<string, object> { ["model"] = new { name = "model", value = "depth = 3\n", type = "dictionary", description = "" } },
            runtime = new { progress = "0" },
            tags = new[] { "baseline" },
        })).Ok();
        (await client.CallAsync("tasks.set_requirements", new { task, requirements = new { pip = "numpy==1.26\ntorch" } })).Ok();
        (await client.CallAsync("tasks.edit", new { task, force = true, runtime = new { progress = "100" } })).Ok();

        var poll = (await client.CallAsync("tasks.get_all", new { id = new[] { task }, only_fields = new[] { "status", "status_message", "id" }, search_hidden = false })).Ok();
        Assert.Equal("in_progress", poll.GetProperty("tasks")[0].GetProperty("status").GetString());

        var completed = (await client.CallAsync("tasks.completed", new { task, force = false, status_reason = "completed", publish = false })).Ok();
        Assert.Equal("completed", completed.GetProperty("fields").GetProperty("status").GetString());

        var doc = await GetTaskAsync(client, task);
        Assert.Equal("completed", doc.GetProperty("status").GetString());
        Assert.Equal("completed", doc.GetProperty("status_reason").GetString());
        Assert.Equal(project, doc.GetProperty("project").GetString());
        Assert.Equal(["development"], doc.GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["baseline"], doc.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var script = doc.GetProperty("script");
        Assert.Equal("https://example.com/repo.git", script.GetProperty("repository").GetString());
        Assert.Equal("abc123", script.GetProperty("version_num").GetString());
        Assert.Equal("numpy==1.26\ntorch", script.GetProperty("requirements").GetProperty("pip").GetString());
        var lr = doc.GetProperty("hyperparams").GetProperty("General").GetProperty("lr");
        Assert.Equal("0.001", lr.GetProperty("value").GetString());
        Assert.Equal("float", lr.GetProperty("type").GetString());
        Assert.Equal("[64, 128]", doc.GetProperty("hyperparams").GetProperty("General").GetProperty("layers").GetProperty("value").GetString());
        Assert.Equal("batch size", doc.GetProperty("hyperparams").GetProperty("Args").GetProperty("batch").GetProperty("description").GetString());
        Assert.Equal("depth = 3\n", doc.GetProperty("configuration").GetProperty("model").GetProperty("value").GetString());
        Assert.Equal("100", doc.GetProperty("runtime").GetProperty("progress").GetString());
        Assert.True(doc.GetProperty("started").GetDateTime() <= doc.GetProperty("completed").GetDateTime());
        Assert.Equal(JsonValueKind.Object, doc.GetProperty("last_metrics").ValueKind);
        Assert.Equal(JsonValueKind.Array, doc.GetProperty("execution").GetProperty("artifacts").ValueKind);
        Assert.Equal(JsonValueKind.Object, doc.GetProperty("output").ValueKind);
    }

    [Fact]
    public async Task Edit_replaces_hyperparams_whole_and_merges_script_keys()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("proj"), "t");
        (await client.CallAsync("tasks.edit", new { task, hyperparams = new { A = new { x = new { section = "A", name = "x", value = "1" } } }, script = new { repository = "r", branch = "b" } })).Ok();

        (await client.CallAsync("tasks.edit", new { task, hyperparams = new { B = new { y = new { section = "B", name = "y", value = "2" } } }, script = new { branch = "c" } })).Ok();

        var doc = await GetTaskAsync(client, task);
        Assert.Equal(["B"], doc.GetProperty("hyperparams").EnumerateObject().Select(p => p.Name));
        Assert.Equal("r", doc.GetProperty("script").GetProperty("repository").GetString());
        Assert.Equal("c", doc.GetProperty("script").GetProperty("branch").GetString());
    }

    [Fact]
    public async Task Repeated_edits_with_the_same_keys_keep_the_latest_values()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("proj"), "t");

        foreach (var value in new[] { "1", "2", "3" })
        {
            (await client.CallAsync("tasks.edit", new
            {
                task,
                force = true,
                hyperparams = new { General = new { lr = new { section = "General", name = "lr", value, type = "int" } } },
                configuration = new { cfg = new { name = "cfg", value = "x=" + value, type = "dictionary" } },
            })).Ok();
        }

        var doc = await GetTaskAsync(client, task);
        Assert.Equal("3", doc.GetProperty("hyperparams").GetProperty("General").GetProperty("lr").GetProperty("value").GetString());
        Assert.Equal("x=3", doc.GetProperty("configuration").GetProperty("cfg").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Status_changes_follow_the_task_state_machine_unless_forced()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("proj"), "t");

        (await client.CallAsync("tasks.completed", new { task })).AssertError(400, 110);
        (await client.CallAsync("tasks.edit", new { task, name = "renamed" })).Ok();
        (await client.CallAsync("tasks.started", new { task })).Ok();
        (await client.CallAsync("tasks.edit", new { task, name = "again" })).AssertError(400, 110);
        (await client.CallAsync("tasks.stopped", new { task, status_reason = "aborted" })).Ok();
        (await client.CallAsync("tasks.publish", new { task })).Ok();
        (await client.CallAsync("tasks.started", new { task })).AssertError(400, 110);
        (await client.CallAsync("tasks.reset", new { task })).AssertError(400, 110);
        (await client.CallAsync("tasks.started", new { task, force = true })).Ok();

        var doc = await GetTaskAsync(client, task);
        Assert.Equal("in_progress", doc.GetProperty("status").GetString());
        Assert.Equal("renamed", doc.GetProperty("name").GetString());
        Assert.True(doc.TryGetProperty("published", out _));
    }

    [Fact]
    public async Task Failed_and_closed_record_the_reason()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("proj");
        var crashed = await client.CreateTaskAsync(project, "crash");
        (await client.CallAsync("tasks.started", new { task = crashed })).Ok();

        (await client.CallAsync("tasks.failed", new { task = crashed, status_reason = "Exception ValueError", status_message = "boom" })).Ok();
        (await client.CallAsync("tasks.close", new { task = crashed })).AssertError(400, 110);
        (await client.CallAsync("tasks.stopped", new { task = crashed })).Ok();
        (await client.CallAsync("tasks.close", new { task = crashed, status_reason = "done" })).Ok();

        var doc = await GetTaskAsync(client, crashed);
        Assert.Equal("closed", doc.GetProperty("status").GetString());
        Assert.Equal("done", doc.GetProperty("status_reason").GetString());
    }

    [Fact]
    public async Task Completed_with_publish_leaves_the_task_published()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("proj"), "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();

        var completed = (await client.CallAsync("tasks.completed", new { task, publish = true })).Ok();

        Assert.Equal(1, completed.GetProperty("published").GetInt32());
        Assert.Equal("published", (await GetTaskAsync(client, task)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reset_returns_a_task_to_created_and_clears_its_run()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("proj"), "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        (await client.CallAsync("tasks.edit", new { task, force = true, runtime = new { progress = "50" } })).Ok();

        var reset = (await client.CallAsync("tasks.reset", new { task, force = false, clear_all = false, delete_external_artifacts = true })).Ok();

        Assert.Equal("created", reset.GetProperty("fields").GetProperty("status").GetString());
        var doc = await GetTaskAsync(client, task);
        Assert.Equal("created", doc.GetProperty("status").GetString());
        Assert.False(doc.TryGetProperty("started", out _));
        Assert.Empty(doc.GetProperty("runtime").EnumerateObject());
        Assert.Equal("reset", doc.GetProperty("status_reason").GetString());
    }

    [Fact]
    public async Task A_published_task_is_reset_only_with_force_and_published_only_once()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("proj"), "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();
        (await client.CallAsync("tasks.publish", new { task })).Ok();

        (await client.CallAsync("tasks.publish", new { task })).AssertError(400, 110);
        (await client.CallAsync("tasks.reset", new { task })).AssertError(400, 110);
        (await client.CallAsync("tasks.reset", new { task, force = true })).Ok();
    }

    [Fact]
    public async Task Update_changes_name_and_tags_in_any_status()
    {
        var client = await TenantAsync();
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("proj"), "t");
        (await client.CallAsync("tasks.started", new { task })).Ok();

        var update = (await client.CallAsync("tasks.update", new { task, name = "renamed", tags = new[] { "x" }, comment = "c" })).Ok();

        Assert.Equal(1, update.GetProperty("updated").GetInt32());
        Assert.Equal("renamed", update.GetProperty("fields").GetProperty("name").GetString());
        var doc = await GetTaskAsync(client, task);
        Assert.Equal("renamed", doc.GetProperty("name").GetString());
        Assert.Equal("c", doc.GetProperty("comment").GetString());
    }

    [Fact]
    public async Task Delete_without_force_takes_only_drafts_and_archived_tasks()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("proj");
        var task = await client.CreateTaskAsync(project, "t");
        var draft = await client.CreateTaskAsync(project, "draft");
        var archived = await client.CreateTaskAsync(project, "archived");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        (await client.CallAsync("tasks.started", new { task = archived })).Ok();
        (await client.CallAsync("tasks.update", new { task = archived, system_tags = new[] { "archived" } })).Ok();

        (await client.CallAsync("tasks.delete", new { task })).AssertError(400, 123);
        (await client.CallAsync("tasks.delete", new { task = draft })).Ok();
        (await client.CallAsync("tasks.delete", new { task = archived })).Ok();
        var deleted = (await client.CallAsync("tasks.delete", new { task, force = true, move_to_trash = false, delete_external_artifacts = true })).Ok();

        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        (await client.CallAsync("tasks.get_by_id", new { task })).AssertError(400, 101);
    }

    [Fact]
    public async Task Get_all_filters_orders_pages_and_projects_fields_as_task_queries_do()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("query");
        var other = await client.CreateProjectAsync("query2");
        var first = await client.CreateTaskAsync(project, "alpha-1", tags: ["keep"]);
        var second = await client.CreateTaskAsync(project, "alpha-2", "testing");
        var third = await client.CreateTaskAsync(project, "beta", tags: ["keep", "old"]);
        await client.CreateTaskAsync(other, "alpha-elsewhere");
        var archived = await client.CreateTaskAsync(project, "alpha-archived");
        (await client.CallAsync("tasks.edit", new { task = archived, system_tags = new[] { "archived" } })).Ok();
        (await client.CallAsync("tasks.started", new { task = second })).Ok();

        async Task<string[]> Ids(object query) =>
            [.. (await client.CallAsync("tasks.get_all", query)).Ok().GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];

        Assert.Equal([first, second, archived], await Ids(new { project = new[] { project }, name = "alpha", order_by = new[] { "created" } }));
        Assert.Equal([first, second], await Ids(new { project = new[] { project }, name = "alpha", system_tags = new[] { "-archived" }, order_by = new[] { "created" } }));
        Assert.Equal([second], await Ids(new { project = new[] { project }, status = new[] { "in_progress" } }));
        Assert.Equal([second], await Ids(new { project = new[] { project }, type = new[] { "testing" } }));
        Assert.Equal([first], await Ids(new { project = new[] { project }, tags = new[] { "keep", "-old" } }));
        Assert.Equal([third, first], await Ids(new { project = new[] { project }, tags = new[] { "keep" }, order_by = new[] { "-name" } }));
        Assert.Equal([second], await Ids(new { project = new[] { project }, order_by = new[] { "created" }, page = 1, page_size = 1 }));
        Assert.Empty(await Ids(new { id = new[] { Guid.NewGuid().ToString("N") } }));

        var projected = (await client.CallAsync("tasks.get_all", new { id = new[] { first }, only_fields = new[] { "name", "script.repository" } })).Ok().GetProperty("tasks")[0];
        Assert.Equal(["name", "script", "id"], projected.EnumerateObject().Select(p => p.Name));
        Assert.Empty(projected.GetProperty("script").EnumerateObject());
        (await client.CallAsync("tasks.edit", new { task = first, script = new { repository = "r", branch = "b", diff = "d" } })).Ok();
        var nested = (await client.CallAsync("tasks.get_all", new { id = new[] { first }, only_fields = new[] { "script.repository", "script.branch" } })).Ok().GetProperty("tasks")[0];
        Assert.Equal(["repository", "branch"], nested.GetProperty("script").EnumerateObject().Select(p => p.Name));
        var extended = (await client.CallAsync("tasks.get_all_ex", new { id = new[] { first }, only_fields = new[] { "project" } })).Ok().GetProperty("tasks")[0];
        Assert.Equal(project, extended.GetProperty("project").GetProperty("id").GetString());
    }

    /// <summary>A page that reads only the columns asked for answers them exactly as the full document does.</summary>
    [Fact]
    public async Task Get_all_ex_with_the_web_ui_columns_answers_them_as_the_full_document()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("columns");
        var elsewhere = await client.CreateProjectAsync("columns parent");
        var parent = await client.CreateTaskAsync(elsewhere, "parent");
        var child = (await client.CallAsync("tasks.create", new
        {
            name = "child", type = "training", project, parent, comment = "c", tags = new[] { "t" },
            script = new { repository = "r", diff = "d" }, execution = new { parameters = new { } },
            hyperparams = new { Args = new { lr = new { section = "Args", name = "lr", value = "0.1" } } },
            configuration = new { General = new { name = "General", value = "{}" } },
        })).Ok().GetProperty("id").GetString()!;
        string[] columns = ["name", "project.name", "parent.name", "parent.project.name", "user.name", "company", "tags", "comment", "hyperparams", "script.repository", "last_metrics", "status", "models"];

        var full = (await client.CallAsync("tasks.get_all_ex", new { id = new[] { child } })).Ok().GetProperty("tasks")[0];
        var some = (await client.CallAsync("tasks.get_all_ex", new { id = new[] { child }, only_fields = columns })).Ok().GetProperty("tasks")[0];
        var all = (await client.CallAsync("tasks.get_all_ex", new { id = new[] { child }, only_fields = new[] { "*" } })).Ok().GetProperty("tasks")[0];

        Assert.Equal("parent", some.GetProperty("parent").GetProperty("name").GetString());
        Assert.Equal("columns parent", some.GetProperty("parent").GetProperty("project").GetProperty("name").GetString());
        foreach (var field in new[] { "name", "user", "company", "tags", "comment", "hyperparams", "last_metrics", "status", "models" })
        {
            Assert.Equal(full.GetProperty(field).GetRawText(), some.GetProperty(field).GetRawText());
        }
        Assert.Equal(full.GetProperty("script").GetProperty("repository").GetString(), some.GetProperty("script").GetProperty("repository").GetString());
        foreach (var document in new[] { "script", "execution", "runtime", "models", "container", "output" })
        {
            Assert.Equal(full.GetProperty(document).GetRawText(), all.GetProperty(document).GetRawText());
        }
    }

    [Fact]
    public async Task Get_all_scrolls_with_size_and_scroll_id_until_empty()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("scroll");
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await client.CreateTaskAsync(project, $"t{i}"));
        }

        var seen = new List<string>();
        string? scrollId = null;
        for (var call = 0; call < 10; call++)
        {
            var data = (await client.CallAsync("tasks.get_all_ex", new { project = new[] { project }, size = 2, scroll_id = scrollId, order_by = new[] { "created" } })).Ok();
            var batch = data.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
            if (batch.Count == 0)
            {
                break;
            }
            seen.AddRange(batch);
            scrollId = data.GetProperty("scroll_id").GetString();
        }

        Assert.Equal(created, seen);
        (await client.CallAsync("tasks.get_all", new { size = 2, scroll_id = "garbage!" })).AssertError(400, 1104);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class TasksTestsOnPostgres(PostgresFixture fixture) : TasksTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class TasksTestsOnSqlite(SqliteFixture fixture) : TasksTests(fixture);
