using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

/// <summary>Experiment writes comet_ml makes and reads back: names, status reports, tags, parameters, archive filter, file path.</summary>
public abstract class CometExperimentStateTests(IServerFixture fixture)
{
    private async Task<(CometClient Comet, ClearMlClient ClearMl, string Workspace)> TenantAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return (new CometClient(fixture.Factory.CreateClient(), keys.ApiKey), clearMl, workspace);
    }

    private static async Task<string> ExperimentAsync(CometClient comet, string workspace, string project) =>
        (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = project, experimentName = "run" }))
        .Ok().GetProperty("experimentKey").GetString()!;

    [Fact]
    public async Task A_name_log_other_renames_the_experiment_and_reads_back_as_an_other()
    {
        var (comet, clearMl, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "names");

        (await comet.PostAsync("write/experiment/log-other", new { experimentKey = key, key = "Name", value = "renamed-run" })).Ok();

        Assert.Equal("renamed-run", (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok().GetProperty("experimentName").GetString());
        var name = (await comet.GetAsync($"experiment/log-other?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray()
            .Single(v => v.GetProperty("name").GetString() == "Name");
        Assert.Equal("renamed-run", name.GetProperty("valueCurrent").GetString());
        Assert.Equal("renamed-run", (await clearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_status_answers_200_and_crashed_fails_while_not_alive_ends()
    {
        var (comet, _, workspace) = await TenantAsync();
        var crashed = await ExperimentAsync(comet, workspace, "status");
        var ended = await ExperimentAsync(comet, workspace, "status");

        (await comet.PostAsync("write/experiment/update-status", new { experimentKey = crashed, isAlive = true, error = (string?)null, hasCrashed = false })).Ok();
        Assert.True((await comet.GetAsync($"experiment/metadata?experimentKey={crashed}")).Ok().GetProperty("running").GetBoolean());
        (await comet.PostAsync("write/experiment/update-status", new { experimentKey = crashed, isAlive = false, error = "Traceback: boom", hasCrashed = true })).Ok();
        (await comet.PostAsync("write/experiment/update-status", new { experimentKey = ended, isAlive = false, error = (string?)null, hasCrashed = false })).Ok();

        var failed = (await comet.GetAsync($"experiment/metadata?experimentKey={crashed}")).Ok();
        Assert.True(failed.GetProperty("hasCrashed").GetBoolean());
        Assert.False(failed.GetProperty("running").GetBoolean());
        var finished = (await comet.GetAsync($"experiment/metadata?experimentKey={ended}")).Ok();
        Assert.False(finished.GetProperty("running").GetBoolean());
        Assert.False(finished.GetProperty("hasCrashed").GetBoolean());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, finished.GetProperty("endTimeMillis").ValueKind);
        (await comet.PostAsync("write/experiment/update-status", new { experimentKey = Guid.NewGuid().ToString("N"), isAlive = true, hasCrashed = false }))
            .AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tags_and_parameters_are_deleted_as_comet_ml_asks()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "deletes");
        (await comet.PostAsync("write/experiment/tags", new { experimentKey = key, addedTags = new[] { "a", "b", "c" } })).Ok();
        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "lr", parameterValue = 0.1 })).Ok();
        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "opt/momentum", parameterValue = 0.9 })).Ok();
        (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "batch", parameterValue = 32 })).Ok();

        (await comet.PostAsync("write/experiment/tags/delete", new { experimentKey = key, tags = new[] { "a", "c", "never-added" } })).Ok();
        (await comet.PostAsync("write/experiment/parameter/delete", new { experimentKey = key, parameterName = "lr" })).Ok();
        (await comet.PostAsync("write/experiment/parameter/delete", new { experimentKey = key, parameterName = "opt/momentum" })).Ok();

        Assert.Equal(["b"], (await comet.GetAsync($"experiment/tags?experimentKey={key}")).Ok().GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["batch"], (await comet.GetAsync($"experiment/parameters?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray()
            .Select(v => v.GetProperty("name").GetString()));
        (await comet.PostAsync("write/experiment/tags/delete", new { experimentKey = key })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/experiment/parameter/delete", new { experimentKey = key })).AssertError(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("false", "False", "true")]
    [InlineData("False", "false", "True")]
    public async Task Archived_experiments_are_listed_only_when_asked(string notArchived, string alsoNotArchived, string archived)
    {
        var (comet, _, workspace) = await TenantAsync();
        var live = await ExperimentAsync(comet, workspace, "archive");
        var old = await ExperimentAsync(comet, workspace, "archive");
        (await comet.GetAsync($"write/experiment/archive?experimentKey={old}")).Ok();

        async Task<List<string?>> Listed(string query) =>
            [.. (await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=archive{query}")).Ok().GetProperty("experiments").EnumerateArray()
                .Select(e => e.GetProperty("experimentKey").GetString())];

        Assert.Equal([live], await Listed($"&archived={notArchived}"));
        Assert.Equal([live], await Listed($"&archived={alsoNotArchived}"));
        Assert.Equal([live], await Listed(""));
        Assert.Equal([old], await Listed($"&archived={archived}"));
        (await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=archive&archived=maybe")).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_file_path_reads_back_in_the_metadata()
    {
        var (comet, _, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "paths");

        (await comet.PostAsync("write/experiment/file-path", new { experimentKey = key, filePath = "/home/ann/src/train.py" })).Ok();

        var metadata = (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok();
        Assert.Equal("/home/ann/src/train.py", metadata.GetProperty("filePath").GetString());
        Assert.Equal("train.py", metadata.GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Comet_accepts_short_project_names_that_clearml_refuses()
    {
        var (comet, clearMl, workspace) = await TenantAsync();

        var key = await ExperimentAsync(comet, workspace, "ab");
        (await comet.PostAsync("write/project/create", new { workspaceName = workspace, projectName = "x" })).Ok();

        var listed = (await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=ab")).Ok().GetProperty("experiments");
        Assert.Equal([key], listed.EnumerateArray().Select(e => e.GetProperty("experimentKey").GetString()));
        Assert.Equal("ab", (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok().GetProperty("projectName").GetString());
        Assert.Equal("x", (await comet.GetAsync($"project?workspaceName={workspace}&projectName=x")).Ok().GetProperty("projectName").GetString());
        (await clearMl.CallAsync("projects.create", new { name = "cd" })).AssertError(400, 800);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometExperimentStateTestsOnPostgres(PostgresFixture fixture) : CometExperimentStateTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometExperimentStateTestsOnSqlite(SqliteFixture fixture) : CometExperimentStateTests(fixture);
