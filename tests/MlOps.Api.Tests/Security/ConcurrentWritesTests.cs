using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// Task and model documents are read, changed and written back; writers that do so at the same moment all keep their
/// change (each write checks the row is as the request read it, and a request that lost the race runs again).
/// </summary>
public abstract class ConcurrentWritesTests(IServerFixture fixture)
{
    private const int Writers = 16;

    private async Task<(ClearMlClient Client, string Project, string Task)> TaskAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("concurrent-" + Guid.NewGuid().ToString("N")[..8]);
        return (client, project, await client.CreateTaskAsync(project, "t"));
    }

    [Fact]
    public async Task Sixteen_writers_adding_artifacts_to_one_task_all_keep_theirs()
    {
        var (client, _, task) = await TaskAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => client.CallAsync("tasks.add_or_update_artifacts",
            new { task, artifacts = new[] { new { key = $"artifact-{i}", type = "custom", uri = $"http://files/{i}.bin" } } })));
        Assert.All(answers, a => a.Ok());

        var artifacts = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task").GetProperty("execution").GetProperty("artifacts");
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"artifact-{i}").Order(), artifacts.EnumerateArray().Select(a => a.GetProperty("key").GetString()!).Order());
    }

    [Fact]
    public async Task Concurrent_edits_of_different_hyper_parameter_sections_are_all_kept()
    {
        var (client, _, task) = await TaskAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => client.CallAsync("tasks.edit_hyper_params",
            new { task, hyperparams = new[] { new { section = $"Section{i}", name = "p", value = i.ToString() } }, replace_hyperparams = "section" })));
        Assert.All(answers, a => a.Ok());

        var hyperparams = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task").GetProperty("hyperparams");
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"Section{i}").Order(), hyperparams.EnumerateObject().Select(s => s.Name).Order());
    }

    [Fact]
    public async Task Concurrent_configuration_edits_and_output_models_are_all_kept()
    {
        var (client, _, task) = await TaskAsync();
        var configurations = Enumerable.Range(0, Writers / 2).Select(i => client.CallAsync("tasks.edit_configuration",
            new { task, configuration = new[] { new { name = $"config-{i}", value = "x: 1", type = "yaml" } }, replace_configuration = false }));
        var models = Enumerable.Range(0, Writers / 2).Select(i => client.CallAsync("tasks.add_or_update_model",
            new { task, name = $"model-{i}", model = Guid.NewGuid().ToString("N"), type = "output" }));
        Assert.All(await Task.WhenAll(configurations.Concat(models)), a => a.Ok());

        var stored = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Equal(Writers / 2, stored.GetProperty("configuration").EnumerateObject().Count());
        Assert.Equal(Writers / 2, stored.GetProperty("models").GetProperty("output").GetArrayLength());
    }

    [Fact]
    public async Task Concurrent_metadata_writers_of_one_model_all_keep_their_keys()
    {
        var (client, project, task) = await TaskAsync();
        var model = (await client.CallAsync("models.create", new { name = "concurrent-model", uri = "http://files/m.bin", project, task })).Ok().GetProperty("id").GetString()!;
        var answers = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => client.CallAsync("models.add_or_update_metadata",
            new { model, metadata = new[] { new { key = $"key-{i}", value = i.ToString(), type = "int" } }, replace_metadata = false })));
        Assert.All(answers, a => a.Ok());

        var metadata = (await client.CallAsync("models.get_by_id", new { model })).Ok().GetProperty("model").GetProperty("metadata");
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"key-{i}").Order(), metadata.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Concurrent_Comet_tag_writers_all_keep_their_tags()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var workspace = (await comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames")[0].GetString()!;
        var experiment = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "tags-" + Guid.NewGuid().ToString("N")[..8] }))
            .Ok().GetProperty("experimentKey").GetString()!;
        var answers = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => comet.PostAsync("write/experiment/tags", new { experimentKey = experiment, addedTags = new[] { $"tag-{i}" } })));
        Assert.All(answers, a => a.Ok());

        var tags = (await comet.GetAsync($"experiment/tags?experimentKey={experiment}")).Ok().GetProperty("tags");
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"tag-{i}").Order(), tags.EnumerateArray().Select(t => t.GetString()!).Order());
    }

    [Fact]
    public async Task Concurrent_clients_logging_into_one_new_project_name_all_land_in_one_project()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var workspace = (await comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames")[0].GetString()!;
        var created = "new-" + Guid.NewGuid().ToString("N")[..8];
        var linked = "linked-" + Guid.NewGuid().ToString("N")[..8];
        var moved = "moved-" + Guid.NewGuid().ToString("N")[..8];

        var creates = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = created })));
        var experiments = creates.Select(c => c.Ok().GetProperty("experimentKey").GetString()!).ToList();
        var links = experiments.Take(Writers / 2).Select(e => comet.GetAsync($"write/project/symlink?experimentKey={e}&projectName={linked}"));
        var moves = experiments.Skip(Writers / 2).Select(e => comet.PostAsync("write/experiment/move", new { targetWorkspaceName = workspace, targetProjectName = moved, experimentKeys = new[] { e } }));
        Assert.All(await Task.WhenAll(links.Concat(moves)), a => a.Ok());

        var projects = (await comet.GetAsync($"projects?workspaceName={workspace}")).Ok().GetProperty("projects").EnumerateArray()
            .Select(p => p.GetProperty("projectName").GetString()).ToList();
        Assert.Equal(1, projects.Count(p => p == created));
        Assert.Equal(1, projects.Count(p => p == linked));
        Assert.Equal(1, projects.Count(p => p == moved));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ConcurrentWritesTestsOnPostgres(PostgresFixture fixture) : ConcurrentWritesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ConcurrentWritesTestsOnSqlite(SqliteFixture fixture) : ConcurrentWritesTests(fixture);
