using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class TaskDocumentsTests(IServerFixture fixture)
{
    private async Task<(ClearMlClient Client, string Project, string Task)> TaskAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("documents");
        return (client, project, await client.CreateTaskAsync(project, "t"));
    }

    private static async Task<JsonElement> GetTaskAsync(ClearMlClient client, string task) =>
        (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");

    /// <summary>The body upload_artifact sends once the file is on the files server.</summary>
    private static object Artifact(string key, string uri, string hash) => new
    {
        key,
        type = "dict",
        uri,
        content_size = 53,
        hash,
        timestamp = 1795472139,
        type_data = new { preview = "{\"a\": 1}", content_type = "application/json" },
    };

    [Fact]
    public async Task Artifacts_are_listed_in_execution_and_replaced_by_key()
    {
        var (client, _, task) = await TaskAsync();

        (await client.CallAsync("tasks.add_or_update_artifacts", new { task, artifacts = new[] { Artifact("stats", "http://h/files/a.json", "h1") }, force = true })).Ok();
        (await client.CallAsync("tasks.add_or_update_artifacts", new { task, artifacts = new[] { Artifact("stats", "http://h/files/b.json", "h2"), Artifact("other", "http://h/files/c.json", "h3") }, force = true })).Ok();

        var artifacts = (await GetTaskAsync(client, task)).GetProperty("execution").GetProperty("artifacts");
        Assert.Equal(2, artifacts.GetArrayLength());
        var stats = artifacts.EnumerateArray().Single(a => a.GetProperty("key").GetString() == "stats");
        Assert.Equal("http://h/files/b.json", stats.GetProperty("uri").GetString());
        Assert.Equal("output", stats.GetProperty("mode").GetString());
        Assert.Equal("application/json", stats.GetProperty("type_data").GetProperty("content_type").GetString());

        var deleted = (await client.CallAsync("tasks.delete_artifacts", new { task, artifacts = new[] { new { key = "stats", mode = "output" } } })).Ok();
        Assert.Equal(1, deleted.GetProperty("deleted").GetInt32());
        Assert.Equal(["other"], (await GetTaskAsync(client, task)).GetProperty("execution").GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Model_references_are_kept_per_type_and_name()
    {
        var (client, _, task) = await TaskAsync();
        var modelA = Guid.NewGuid().ToString("N");
        var modelB = Guid.NewGuid().ToString("N");

        (await client.CallAsync("tasks.add_or_update_model", new { task, name = "weights", model = modelA, type = "output", iteration = 12 })).Ok();
        (await client.CallAsync("tasks.add_or_update_model", new { task, name = "weights", model = modelB, type = "output" })).Ok();
        (await client.CallAsync("tasks.add_or_update_model", new { task, name = "base", model = modelA, type = "input" })).Ok();
        (await client.CallAsync("tasks.add_or_update_model", new { task, name = "x", model = modelA, type = "sideways" })).AssertError(400, 12);

        var doc = await GetTaskAsync(client, task);
        var output = doc.GetProperty("models").GetProperty("output");
        Assert.Equal(modelB, Assert.Single(output.EnumerateArray()).GetProperty("model").GetString());
        Assert.Equal(modelA, doc.GetProperty("models").GetProperty("input")[0].GetProperty("model").GetString());
        Assert.Equal(12, doc.GetProperty("last_iteration").GetInt64());

        (await client.CallAsync("tasks.delete_models", new { task, models = new[] { new { name = "weights", type = "output" } } })).Ok();
        Assert.Empty((await GetTaskAsync(client, task)).GetProperty("models").GetProperty("output").EnumerateArray());
    }

    [Fact]
    public async Task Set_parameters_merges_and_user_properties_change_while_running()
    {
        var (client, _, task) = await TaskAsync();
        (await client.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "Args", name = "lr", value = "0.1", type = "float" }, new { section = "Args", name = "epochs", value = "3", type = "int" } } })).Ok();
        (await client.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "Args", name = "lr", value = "0.2", type = "float" } }, replace_hyperparams = "none" })).Ok();
        (await client.CallAsync("tasks.started", new { task })).Ok();

        (await client.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "Args", name = "lr", value = "9" } } })).AssertError(400, 110);
        (await client.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "properties", name = "owner", value = "alice" } } })).Ok();
        (await client.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "Args", name = "lr", value = "0.3" } }, force = true })).Ok();

        var parameters = (await client.CallAsync("tasks.get_hyper_params", new { tasks = new[] { task } })).Ok().GetProperty("params")[0];
        Assert.Equal(task, parameters.GetProperty("task").GetString());
        var values = parameters.GetProperty("hyperparams").EnumerateArray().ToDictionary(p => p.GetProperty("section").GetString() + "/" + p.GetProperty("name").GetString(), p => p.GetProperty("value").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["Args/epochs"] = "3", ["Args/lr"] = "0.3", ["properties/owner"] = "alice" }, values);

        var deleted = (await client.CallAsync("tasks.delete_hyper_params", new { task, hyperparams = new[] { new { section = "Args" } }, force = true })).Ok();
        Assert.Equal(2, deleted.GetProperty("deleted").GetInt32());
        Assert.Equal(["properties"], (await GetTaskAsync(client, task)).GetProperty("hyperparams").EnumerateObject().Select(s => s.Name));
    }

    [Fact]
    public async Task Configuration_items_are_edited_listed_and_deleted_by_name()
    {
        var (client, _, task) = await TaskAsync();

        (await client.CallAsync("tasks.edit_configuration", new { task, configuration = new[] { new { name = "model", value = "a=1", type = "dictionary" }, new { name = "data", value = "b=2", type = "dictionary" } } })).Ok();

        var names = (await client.CallAsync("tasks.get_configuration_names", new { tasks = new[] { task } })).Ok().GetProperty("configurations")[0].GetProperty("names");
        Assert.Equal(["data", "model"], names.EnumerateArray().Select(n => n.GetString()));
        var only = (await client.CallAsync("tasks.get_configurations", new { tasks = new[] { task }, names = new[] { "model" } })).Ok().GetProperty("configurations")[0].GetProperty("configuration");
        Assert.Equal("a=1", Assert.Single(only.EnumerateArray()).GetProperty("value").GetString());
        (await client.CallAsync("tasks.delete_configuration", new { task, configuration = new[] { "data" } })).Ok();
        Assert.Equal(["model"], (await GetTaskAsync(client, task)).GetProperty("configuration").EnumerateObject().Select(c => c.Name));
        (await client.CallAsync("tasks.get_configurations", new { tasks = new[] { Guid.NewGuid().ToString("N") } })).AssertError(400, 101);
    }

    [Fact]
    public async Task Clone_copies_the_definition_into_a_new_draft_under_the_source()
    {
        var (client, project, task) = await TaskAsync();
        (await client.CallAsync("tasks.edit", new
        {
            task,
            script = new { repository = "r", entry_point = "train.py" },
            hyperparams = new { Args = new { lr = new { section = "Args", name = "lr", value = "0.1", type = "float" } } },
            execution = new { queue = Guid.NewGuid().ToString("N") },
        })).Ok();
        (await client.CallAsync("tasks.add_or_update_artifacts", new { task, artifacts = new object[] { Artifact("produced", "u1", "h"), new { key = "dataset", type = "custom", uri = "u2", mode = "input" } } })).Ok();
        (await client.CallAsync("tasks.started", new { task })).Ok();

        var clone = (await client.CallAsync("tasks.clone", new { task, new_task_name = "second try" })).Ok().GetProperty("id").GetString()!;

        var doc = await GetTaskAsync(client, clone);
        Assert.Equal("created", doc.GetProperty("status").GetString());
        Assert.Equal("second try", doc.GetProperty("name").GetString());
        Assert.Equal(task, doc.GetProperty("parent").GetString());
        Assert.Equal(project, doc.GetProperty("project").GetString());
        Assert.Equal("train.py", doc.GetProperty("script").GetProperty("entry_point").GetString());
        Assert.Equal("0.1", doc.GetProperty("hyperparams").GetProperty("Args").GetProperty("lr").GetProperty("value").GetString());
        Assert.Equal(["dataset"], doc.GetProperty("execution").GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("key").GetString()));
        Assert.False(doc.GetProperty("execution").TryGetProperty("queue", out _));
        Assert.Empty(doc.GetProperty("system_tags").EnumerateArray());
    }

    [Fact]
    public async Task Archiving_tags_the_task_and_many_calls_report_each_id()
    {
        var (client, _, task) = await TaskAsync();
        var missing = Guid.NewGuid().ToString("N");

        var archived = (await client.CallAsync("tasks.archive_many", new { ids = new[] { task, missing } })).Ok();

        Assert.Equal(task, archived.GetProperty("succeeded")[0].GetProperty("id").GetString());
        Assert.Equal(missing, archived.GetProperty("failed")[0].GetProperty("id").GetString());
        Assert.Equal(101, archived.GetProperty("failed")[0].GetProperty("error").GetProperty("codes")[1].GetInt32());
        Assert.Contains("archived", (await GetTaskAsync(client, task)).GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
        (await client.CallAsync("tasks.unarchive_many", new { ids = new[] { task } })).Ok();
        Assert.DoesNotContain("archived", (await GetTaskAsync(client, task)).GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Ping_moves_last_update_forward()
    {
        var (client, _, task) = await TaskAsync();
        var before = (await GetTaskAsync(client, task)).GetProperty("last_update").GetDateTime();
        await Task.Delay(20);

        (await client.CallAsync("tasks.ping", new { task })).Ok();

        Assert.True((await GetTaskAsync(client, task)).GetProperty("last_update").GetDateTime() > before);
        (await client.CallAsync("tasks.ping", new { task = Guid.NewGuid().ToString("N") })).AssertError(400, 101);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class TaskDocumentsTestsOnPostgres(PostgresFixture fixture) : TaskDocumentsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class TaskDocumentsTestsOnSqlite(SqliteFixture fixture) : TaskDocumentsTests(fixture);
