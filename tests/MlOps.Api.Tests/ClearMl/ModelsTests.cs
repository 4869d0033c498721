using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class ModelsTests(IServerFixture fixture)
{
    private const string FilesHost = "http://127.0.0.1:8008/files";

    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    private static async Task<JsonElement> GetModelAsync(ClearMlClient client, string model) =>
        (await client.CallAsync("models.get_by_id", new { model })).Ok().GetProperty("model");

    private static async Task<JsonElement> GetTaskAsync(ClearMlClient client, string task) =>
        (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");

    /// <summary>models.create as OutputModel.update_weights sends it before the upload: a placeholder uri, not ready.</summary>
    private static async Task<string> CreateModelAsync(ClearMlClient client, string? project, string name = "Anonymous model 2026-11-23 10:00:00")
    {
        var created = (await client.CallAsync("models.create", new
        {
            uri = FilesHost + "/uploading_file",
            name,
            labels = new { },
            ready = false,
            @public = false,
            project,
        })).Ok();
        Assert.True(created.GetProperty("created").GetBoolean());
        return created.GetProperty("id").GetString()!;
    }

    private static async Task<string[]> IdsAsync(ClearMlClient client, object query) =>
        [.. (await client.CallAsync("models.get_all", query)).Ok().GetProperty("models").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];

    /// <summary>OutputModel(task, ...).update_weights(file) with SDK 1.17, then Model(model_id) reading it back.</summary>
    [Fact]
    public async Task Update_weights_flow_round_trips_everything_the_sdk_reads_back()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("examples");
        var task = await client.CreateTaskAsync(project, "train");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        var model = await CreateModelAsync(client, project);
        var uri = $"{FilesHost}/examples/train.{task}/models/model.pt";

        var edit = (await client.CallAsync("models.edit", new
        {
            model,
            uri,
            name = "resnet",
            labels = new { cat = 0, dog = 1 },
            design = new { design = "layers: 3\nwidth: 64" },
            framework = "PyTorch",
            iteration = 10,
            task,
            project,
            tags = new[] { "best", "baseline" },
            system_tags = Array.Empty<string>(),
        })).Ok();
        (await client.CallAsync("models.add_or_update_metadata", new
        {
            model,
            metadata = new[] { new { key = "accuracy", value = "0.93", type = "float" } },
            replace_metadata = false,
        })).Ok();
        (await client.CallAsync("tasks.add_or_update_model", new { task, name = "resnet", model, type = "output" })).Ok();

        Assert.Equal(1, edit.GetProperty("updated").GetInt32());
        Assert.Equal(uri, edit.GetProperty("fields").GetProperty("uri").GetString());
        var doc = await GetModelAsync(client, model);
        Assert.Equal(model, doc.GetProperty("id").GetString());
        Assert.Equal("resnet", doc.GetProperty("name").GetString());
        Assert.Equal(uri, doc.GetProperty("uri").GetString());
        Assert.Equal("PyTorch", doc.GetProperty("framework").GetString());
        Assert.Equal("layers: 3\nwidth: 64", doc.GetProperty("design").GetProperty("design").GetString());
        Assert.Equal(1, doc.GetProperty("labels").GetProperty("dog").GetInt32());
        Assert.Equal(JsonValueKind.False, doc.GetProperty("ready").ValueKind);
        Assert.Equal(project, doc.GetProperty("project").GetString());
        Assert.Equal(task, doc.GetProperty("task").GetString());
        Assert.Equal(["baseline", "best"], doc.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(doc.GetProperty("system_tags").EnumerateArray());
        Assert.Equal(JsonValueKind.String, doc.GetProperty("user").ValueKind);
        Assert.Equal(JsonValueKind.String, doc.GetProperty("company").ValueKind);
        Assert.True(doc.GetProperty("created").GetDateTime() <= doc.GetProperty("last_update").GetDateTime());
        var accuracy = doc.GetProperty("metadata").GetProperty("accuracy");
        Assert.Equal("accuracy", accuracy.GetProperty("key").GetString());
        Assert.Equal("float", accuracy.GetProperty("type").GetString());
        Assert.Equal("0.93", accuracy.GetProperty("value").GetString());
        var taskDoc = await GetTaskAsync(client, task);
        Assert.Equal(10, taskDoc.GetProperty("last_iteration").GetInt64());
        Assert.Equal(model, taskDoc.GetProperty("models").GetProperty("output")[0].GetProperty("model").GetString());
    }

    /// <summary>Model.query_models(project_name, model_name, tags, only_published) with SDK 1.17.</summary>
    [Fact]
    public async Task Query_models_finds_unarchived_models_of_a_project_newest_first()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("zoo");
        var other = await client.CreateProjectAsync("zoo2");
        var oldest = await CreateModelAsync(client, project, "alpha");
        var archived = await CreateModelAsync(client, project, "beta");
        var ready = await CreateModelAsync(client, project, "gamma");
        var hidden = await CreateModelAsync(client, project, "delta");
        await CreateModelAsync(client, other, "alpha");
        (await client.CallAsync("models.edit", new { model = oldest, tags = new[] { "prod" } })).Ok();
        (await client.CallAsync("models.edit", new { model = ready, tags = new[] { "prod", "old" } })).Ok();
        (await client.CallAsync("models.edit", new { model = hidden, system_tags = new[] { "hidden" } })).Ok();
        (await client.CallAsync("models.archive_many", new { ids = new[] { archived } })).Ok();
        (await client.CallAsync("models.set_ready", new { model = ready, publish_task = false })).Ok();

        var lookup = (await client.CallAsync("projects.get_all", new { name = "^zoo$", only_fields = new[] { "id", "name", "last_update" } })).Ok();
        Assert.Equal(project, lookup.GetProperty("projects")[0].GetProperty("id").GetString());
        object Query(object? tags = null, bool? onlyReady = null, string? name = null) => new
        {
            project = new[] { project },
            name,
            only_fields = new[] { "id", "created", "system_tags" },
            tags,
            system_tags = new[] { "-archived" },
            ready = onlyReady,
            order_by = new[] { "-created" },
            page = 0,
            page_size = 500,
        };
        var page = (await client.CallAsync("models.get_all", Query())).Ok().GetProperty("models");

        Assert.Equal([ready, oldest], page.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(["id", "created", "system_tags"], page[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal([ready], await IdsAsync(client, Query(onlyReady: true)));
        Assert.Equal([oldest], await IdsAsync(client, Query(tags: new[] { "prod", "-old" })));
        Assert.Equal([oldest], await IdsAsync(client, Query(name: "^alpha$")));
        Assert.Equal([ready, archived, oldest], await IdsAsync(client, new { project = new[] { project }, order_by = new[] { "-created" } }));
        Assert.Equal([hidden], await IdsAsync(client, new { project = new[] { project }, system_tags = new[] { "hidden" }, search_hidden = true }));
        Assert.Equal(["archived"], (await GetModelAsync(client, archived)).GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
        var extended = (await client.CallAsync("models.get_all_ex", new { id = new[] { oldest }, only_fields = new[] { "project", "name" } })).Ok().GetProperty("models")[0];
        Assert.Equal(project, extended.GetProperty("project").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Get_all_filters_by_task_framework_uri_and_pages()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("filters");
        var task = await client.CreateTaskAsync(project, "t");
        var first = await CreateModelAsync(client, project, "model-1");
        var second = await CreateModelAsync(client, project, "model-2");
        var third = await CreateModelAsync(client, project, "model-3");
        (await client.CallAsync("models.edit", new { model = first, task, framework = "Keras", uri = "s3://bucket/m1.h5" })).Ok();
        (await client.CallAsync("models.edit", new { model = second, task, framework = "PyTorch" })).Ok();
        var update = (await client.CallAsync("models.update", new { model = third, comment = "the third one" })).Ok();

        Assert.Equal([first, second], await IdsAsync(client, new { task = new[] { task }, order_by = new[] { "name" } }));
        Assert.Equal([second], await IdsAsync(client, new { framework = new[] { "PyTorch" } }));
        Assert.Equal([first], await IdsAsync(client, new { uri = new[] { "s3://bucket/m1.h5" } }));
        Assert.Equal([second], await IdsAsync(client, new { project = new[] { project }, order_by = new[] { "name" }, page = 1, page_size = 1 }));
        Assert.Equal(1, update.GetProperty("updated").GetInt32());
        Assert.Equal("the third one", update.GetProperty("fields").GetProperty("comment").GetString());
        Assert.Equal([third], await IdsAsync(client, new { project = new[] { project }, search_text = "third" }));
        Assert.Empty(await IdsAsync(client, new { id = new[] { Guid.NewGuid().ToString("N") } }));
    }

    [Fact]
    public async Task Metadata_is_added_updated_replaced_and_deleted()
    {
        var client = await TenantAsync();
        var model = await CreateModelAsync(client, null);
        async Task<string[]> Keys() => [.. (await GetModelAsync(client, model)).GetProperty("metadata").EnumerateObject().Select(p => p.Name).Order()];

        (await client.CallAsync("models.add_or_update_metadata", new { model, metadata = new[] { new { key = "a", value = "1", type = "int" }, new { key = "b", value = "x", type = "str" } } })).Ok();
        (await client.CallAsync("models.add_or_update_metadata", new { model, metadata = new[] { new { key = "a", value = "2", type = "int" } }, replace_metadata = false })).Ok();
        Assert.Equal(["a", "b"], await Keys());
        Assert.Equal("2", (await GetModelAsync(client, model)).GetProperty("metadata").GetProperty("a").GetProperty("value").GetString());

        (await client.CallAsync("models.add_or_update_metadata", new { model, metadata = new[] { new { key = "c", value = "3", type = "int" } }, replace_metadata = true })).Ok();
        Assert.Equal(["c"], await Keys());

        var deleted = (await client.CallAsync("models.delete_metadata", new { model, keys = new[] { "c", "missing" } })).Ok();
        Assert.Equal(1, deleted.GetProperty("updated").GetInt32());
        Assert.Empty(await Keys());
    }

    [Fact]
    public async Task Update_for_task_creates_the_output_model_once_then_updates_it()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("legacy");
        var task = await client.CreateTaskAsync(project, "trainer");
        (await client.CallAsync("tasks.edit", new { task, execution = new { framework = "TensorFlow", model_desc = new { design = "net" }, model_labels = new { bg = 0 } } })).Ok();

        var created = (await client.CallAsync("models.update_for_task", new { task, uri = "file:///tmp/v1.h5" })).Ok();
        var model = created.GetProperty("id").GetString()!;
        var again = (await client.CallAsync("models.update_for_task", new { task, uri = "file:///tmp/v2.h5", iteration = 5 })).Ok();

        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal(model, again.GetProperty("id").GetString());
        var doc = (await client.CallAsync("models.get_by_task_id", new { task })).Ok().GetProperty("model");
        Assert.Equal(model, doc.GetProperty("id").GetString());
        Assert.Equal("file:///tmp/v2.h5", doc.GetProperty("uri").GetString());
        Assert.Equal("trainer", doc.GetProperty("name").GetString());
        Assert.Equal(project, doc.GetProperty("project").GetString());
        Assert.Equal("TensorFlow", doc.GetProperty("framework").GetString());
        Assert.Equal("net", doc.GetProperty("design").GetProperty("design").GetString());
        Assert.Equal(0, doc.GetProperty("labels").GetProperty("bg").GetInt32());
        Assert.StartsWith("Created by task `trainer`", doc.GetProperty("comment").GetString());
        var taskDoc = await GetTaskAsync(client, task);
        var output = Assert.Single(taskDoc.GetProperty("models").GetProperty("output").EnumerateArray());
        Assert.Equal(model, output.GetProperty("model").GetString());
        Assert.Equal("Output Model", output.GetProperty("name").GetString());
        Assert.Equal(5, taskDoc.GetProperty("last_iteration").GetInt64());

        var replacement = await CreateModelAsync(client, project);
        (await client.CallAsync("models.update_for_task", new { task, override_model_id = replacement })).Ok();
        Assert.Equal(replacement, (await client.CallAsync("models.get_by_task_id", new { task })).Ok().GetProperty("model").GetProperty("id").GetString());

        (await client.CallAsync("models.update_for_task", new { task })).AssertError(400, 11);
        (await client.CallAsync("models.update_for_task", new { task, uri = "u", override_model_id = replacement })).AssertError(400, 11);
        (await client.CallAsync("tasks.started", new { task })).Ok();
        (await client.CallAsync("tasks.stopped", new { task })).Ok();
        (await client.CallAsync("models.update_for_task", new { task, uri = "file:///tmp/v3.h5" })).AssertError(400, 110);
        var bare = await client.CreateTaskAsync(project, "bare");
        (await client.CallAsync("models.get_by_task_id", new { task = bare })).AssertError(400, 122);
    }

    [Fact]
    public async Task Set_ready_publishes_the_task_and_its_model_is_then_deleted_only_with_force()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("publish");
        var task = await client.CreateTaskAsync(project, "trainer");
        (await client.CallAsync("tasks.started", new { task })).Ok();
        var model = (await client.CallAsync("models.update_for_task", new { task, uri = "file:///tmp/w.pt" })).Ok().GetProperty("id").GetString()!;
        (await client.CallAsync("models.set_ready", new { model })).AssertError(400, 110);
        (await client.CallAsync("tasks.stopped", new { task })).Ok();

        var ready = (await client.CallAsync("models.set_ready", new { model })).Ok();

        Assert.Equal(1, ready.GetProperty("updated").GetInt32());
        Assert.Equal(task, ready.GetProperty("published_task").GetProperty("id").GetString());
        Assert.Equal("published", ready.GetProperty("published_task").GetProperty("data").GetProperty("fields").GetProperty("status").GetString());
        Assert.Equal("published", (await GetTaskAsync(client, task)).GetProperty("status").GetString());
        Assert.True((await GetModelAsync(client, model)).GetProperty("ready").GetBoolean());
        (await client.CallAsync("models.set_ready", new { model })).AssertError(400, 203);
        (await client.CallAsync("models.delete", new { model })).AssertError(400, 206);

        var deleted = (await client.CallAsync("models.delete", new { model, force = true })).Ok();

        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal("file:///tmp/w.pt", deleted.GetProperty("url").GetString());
        (await client.CallAsync("models.get_by_id", new { model })).AssertError(400, 201);
        Assert.Empty((await GetTaskAsync(client, task)).GetProperty("models").GetProperty("output").EnumerateArray());
    }

    [Fact]
    public async Task Batch_calls_report_each_id_and_go_on_past_failures()
    {
        var client = await TenantAsync();
        var first = await CreateModelAsync(client, null);
        var second = await CreateModelAsync(client, null);
        var missing = Guid.NewGuid().ToString("N");

        var archived = (await client.CallAsync("models.archive_many", new { ids = new[] { first, missing, second } })).Ok();
        Assert.Equal([first, second], archived.GetProperty("succeeded").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.True(archived.GetProperty("succeeded")[0].GetProperty("archived").GetBoolean());
        var failed = Assert.Single(archived.GetProperty("failed").EnumerateArray());
        Assert.Equal(missing, failed.GetProperty("id").GetString());
        Assert.Equal([400, 201], failed.GetProperty("error").GetProperty("codes").EnumerateArray().Select(c => c.GetInt32()));

        var unarchived = (await client.CallAsync("models.unarchive_many", new { ids = new[] { first } })).Ok();
        Assert.True(unarchived.GetProperty("succeeded")[0].GetProperty("unarchived").GetBoolean());
        Assert.Empty((await GetModelAsync(client, first)).GetProperty("system_tags").EnumerateArray());

        var published = (await client.CallAsync("models.publish_many", new { ids = new[] { first, first } })).Ok();
        Assert.True(published.GetProperty("succeeded")[0].GetProperty("updated").GetBoolean());
        Assert.Equal([400, 203], published.GetProperty("failed")[0].GetProperty("error").GetProperty("codes").EnumerateArray().Select(c => c.GetInt32()));

        var deleted = (await client.CallAsync("models.delete_many", new { ids = new[] { first, second } })).Ok();
        Assert.Equal(2, deleted.GetProperty("succeeded").GetArrayLength());
        Assert.Equal(FilesHost + "/uploading_file", deleted.GetProperty("succeeded")[0].GetProperty("url").GetString());
        Assert.Empty(await IdsAsync(client, new { id = new[] { first, second } }));
        Assert.Equal(0, (await client.CallAsync("models.make_public", new { ids = new[] { first } })).Ok().GetProperty("updated").GetInt32());
    }

    [Fact]
    public async Task Another_workspace_can_neither_see_nor_change_a_model()
    {
        var owner = await TenantAsync();
        var project = await owner.CreateProjectAsync("private");
        var model = await CreateModelAsync(owner, project);
        var stranger = await TenantAsync();

        (await stranger.CallAsync("models.get_by_id", new { model })).AssertError(400, 201);
        (await stranger.CallAsync("models.edit", new { model, name = "stolen" })).AssertError(400, 201);
        (await stranger.CallAsync("models.add_or_update_metadata", new { model, metadata = new[] { new { key = "k", value = "v", type = "str" } } })).AssertError(400, 201);
        (await stranger.CallAsync("models.delete", new { model, force = true })).AssertError(400, 201);
        Assert.Empty(await IdsAsync(stranger, new { id = new[] { model } }));
        Assert.Empty(await IdsAsync(stranger, new { }));
        (await stranger.CallAsync("models.create", new { uri = "u", name = "mine", project })).AssertError(400, 16);
        Assert.Equal("Anonymous model 2026-11-23 10:00:00", (await GetModelAsync(owner, model)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_clearml_codes_and_never_a_500()
    {
        var client = await TenantAsync();
        var model = await CreateModelAsync(client, null);

        (await client.CallAsync("models.get_by_id", new { })).AssertError(400, 12);
        (await client.CallAsync("models.get_by_id", new { model = "not-an-id" })).AssertError(400, 201);
        (await client.CallAsync("models.get_by_id", "{\"model\": ")).AssertError(400, 12);
        (await client.CallAsync("models.create", new { name = "no uri" })).AssertError(400, 12);
        (await client.CallAsync("models.create", new { uri = "u", name = "ab" })).AssertError(400, 800);
        (await client.CallAsync("models.create", new { uri = "u", name = "labels", labels = new { cat = "x" } })).AssertError(400, 12);
        (await client.CallAsync("models.create", new { uri = "u", name = "design", design = "text" })).AssertError(400, 12);
        (await client.CallAsync("models.edit", new { model, task = Guid.NewGuid().ToString("N") })).AssertError(400, 16);
        (await client.CallAsync("models.edit", new { model, parent = Guid.NewGuid().ToString("N") })).AssertError(400, 16);
        (await client.CallAsync("models.add_or_update_metadata", new { model, metadata = Array.Empty<object>() })).AssertError(400, 12);
        (await client.CallAsync("models.add_or_update_metadata", new { model, metadata = new[] { new { value = "1" } } })).AssertError(400, 12);
        (await client.CallAsync("models.add_or_update_metadata", new { model, metadata = new object?[] { null } })).AssertError(400, 12);
        (await client.CallAsync("models.delete_metadata", new { model, keys = Array.Empty<string>() })).AssertError(400, 12);
        (await client.CallAsync("models.get_all", new { name = "(" })).AssertError(400, 21);
        (await client.CallAsync("models.get_all", new { page = -1 })).AssertError(400, 16);
        (await client.CallAsync("models.archive_many", new { ids = Array.Empty<string>() })).AssertError(400, 12);
        (await client.CallAsync("models.update_for_task", new { task = Guid.NewGuid().ToString("N"), uri = "u" })).AssertError(400, 101);
        Assert.Equal("Anonymous model 2026-11-23 10:00:00", (await GetModelAsync(client, model)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Models_are_tagged_moved_and_their_frameworks_listed()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("zoo");
        var model = await CreateModelAsync(client, project, "resnet");
        (await client.CallAsync("models.edit", new { model, framework = "PyTorch", tags = new[] { "old" } })).Ok();

        (await client.CallAsync("models.update_tags", new { ids = new[] { model }, add_tags = new[] { "best" }, remove_tags = new[] { "old" } })).Ok();
        var moved = (await client.CallAsync("models.move", new { ids = new[] { model }, project_name = "zoo/archive" })).Ok();

        var doc = (await client.CallAsync("models.get_by_id_ex", new { id = new[] { model } })).Ok().GetProperty("models")[0];
        Assert.Equal(["best"], doc.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(moved.GetProperty("project_id").GetString(), doc.GetProperty("project").GetProperty("id").GetString());
        var frameworks = (await client.CallAsync("models.get_frameworks", new { })).Ok().GetProperty("frameworks");
        Assert.Equal(["PyTorch"], frameworks.EnumerateArray().Select(f => f.GetString()));
        (await client.CallAsync("models.get_by_id_ex", new { })).AssertError(400, 11);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ModelsTestsOnPostgres(PostgresFixture fixture) : ModelsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ModelsTestsOnSqlite(SqliteFixture fixture) : ModelsTests(fixture);
