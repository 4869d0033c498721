using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class ProjectContentsTests(IServerFixture fixture)
{
    [Fact]
    public async Task A_project_describes_the_tags_metrics_parameters_parents_and_users_of_its_tasks()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("contents");
        var sub = await client.CreateProjectAsync("contents/sub");
        var controller = await client.CreateTaskAsync(project, "controller", "controller", tags: ["pipe"]);
        var step = await client.CreateTaskAsync(sub, "step", tags: ["gpu"]);
        (await client.CallAsync("tasks.edit", new { task = step, parent = controller, hyperparams = new { Args = new { lr = new { section = "Args", name = "lr", value = "0.1" } } } })).Ok();
        var other = await client.CreateTaskAsync(sub, "other");
        (await client.CallAsync("tasks.edit", new { task = other, hyperparams = new { Args = new { lr = new { section = "Args", name = "lr", value = "0.2" } } } })).Ok();
        (await client.CallAsync("tasks.started", new { task = step })).Ok();
        (await client.AddEventsAsync([new { type = "training_stats_scalar", task = step, iter = 1, metric = "loss", variant = "train", value = 1.0 }])).Ok();

        var tags = (await client.CallAsync("projects.get_task_tags", new { projects = new[] { project }, include_system = true })).Ok();
        Assert.Equal(["gpu", "pipe"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["development"], tags.GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
        var metrics = (await client.CallAsync("projects.get_unique_metric_variants", new { project })).Ok().GetProperty("metrics");
        Assert.Equal("loss", Assert.Single(metrics.EnumerateArray()).GetProperty("metric").GetString());
        var parameters = (await client.CallAsync("projects.get_hyper_parameters", new { project })).Ok();
        Assert.Equal(1, parameters.GetProperty("total").GetInt32());
        Assert.Equal("lr", parameters.GetProperty("parameters")[0].GetProperty("name").GetString());
        var values = (await client.CallAsync("projects.get_hyperparam_values", new { projects = new[] { project }, section = "Args", name = "lr" })).Ok();
        Assert.Equal(["0.1", "0.2"], values.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        var parents = (await client.CallAsync("projects.get_task_parents", new { projects = new[] { sub }, tasks_state = "active" })).Ok().GetProperty("parents");
        Assert.Equal(controller, Assert.Single(parents.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("contents", parents[0].GetProperty("project").GetProperty("name").GetString());
        var users = (await client.CallAsync("projects.get_user_names", new { projects = new[] { project } })).Ok().GetProperty("users");
        Assert.Equal("alice", Assert.Single(users.EnumerateArray()).GetProperty("name").GetString());
        var counts = (await client.CallAsync("projects.validate_delete", new { project })).Ok();
        Assert.Equal(3, counts.GetProperty("tasks").GetInt32());
        Assert.Equal(3, counts.GetProperty("non_archived_tasks").GetInt32());
        (await client.CallAsync("projects.get_hyperparam_values", new { projects = new[] { project }, section = "Args" })).AssertError(400, 12);
    }

    /// <summary>The models table's metadata columns: the keys in use, and a key's values for its filter.</summary>
    [Fact]
    public async Task Model_metadata_keys_and_values_are_catalogued_per_project_and_workspace()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("models");
        var sub = await client.CreateProjectAsync("models/sub");
        var elsewhere = await client.CreateProjectAsync("elsewhere");
        async Task ModelAsync(string projectId, params (string Key, string Value)[] metadata)
        {
            var model = (await client.CallAsync("models.create", new { name = "model", uri = "file:///m.pt", project = projectId })).Ok().GetProperty("id").GetString();
            (await client.CallAsync("models.add_or_update_metadata", new { model, metadata = metadata.Select(m => new { key = m.Key, type = "str", value = m.Value }) })).Ok();
        }
        await ModelAsync(project, ("accuracy", "0.9"), ("arch", "resnet"));
        await ModelAsync(sub, ("arch", "vit"), ("dataset", "imagenet"));
        await ModelAsync(elsewhere, ("arch", "bert"), ("tokenizer", "wordpiece"));

        var withSubprojects = (await client.CallAsync("projects.get_model_metadata_keys", new { project })).Ok();
        var own = (await client.CallAsync("projects.get_model_metadata_keys", new { project, include_subprojects = false })).Ok();
        var paged = (await client.CallAsync("projects.get_model_metadata_keys", new { project, page = 1, page_size = 2 })).Ok();
        var values = (await client.CallAsync("projects.get_model_metadata_values", new { projects = new[] { project }, key = "arch" })).Ok();
        var everywhere = (await client.CallAsync("projects.get_model_metadata_values", new { key = "arch" })).Ok();

        Assert.Equal(["accuracy", "arch", "dataset"], withSubprojects.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(3, withSubprojects.GetProperty("total").GetInt32());
        Assert.Equal(["accuracy", "arch"], own.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["dataset"], paged.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(0, paged.GetProperty("remaining").GetInt32());
        Assert.Equal(["resnet", "vit"], values.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(3, everywhere.GetProperty("total").GetInt32());
        (await client.CallAsync("projects.get_model_metadata_keys", new { })).AssertError(400, 11);
        (await client.CallAsync("projects.get_model_metadata_values", new { projects = new[] { project } })).AssertError(400, 11);
        var intruderKeys = await fixture.Factory.CreateTenantAsync();
        var intruder = await fixture.Factory.ClearMl().LoginAsync(intruderKeys.AccessKey, intruderKeys.SecretKey);
        Assert.Empty((await intruder.CallAsync("projects.get_model_metadata_values", new { key = "arch" })).Ok().GetProperty("values").EnumerateArray());
        Assert.Empty((await intruder.CallAsync("projects.get_model_metadata_keys", new { project })).Ok().GetProperty("keys").EnumerateArray());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ProjectContentsTestsOnPostgres(PostgresFixture fixture) : ProjectContentsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ProjectContentsTestsOnSqlite(SqliteFixture fixture) : ProjectContentsTests(fixture);
