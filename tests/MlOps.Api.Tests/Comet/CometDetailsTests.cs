using System.Net;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

public abstract class CometDetailsTests(IServerFixture fixture)
{
    private async Task<(CometClient Comet, ClearMlClient ClearMl, string Key, string ApiKey)> ExperimentAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "details" })).Ok().GetProperty("experimentKey").GetString()!;
        return (comet, await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey), key, keys.ApiKey);
    }

    [Fact]
    public async Task Tags_html_code_graph_and_system_details_read_back_as_written()
    {
        var (comet, _, key, _) = await ExperimentAsync();

        (await comet.PostAsync("write/experiment/tags", new { experimentKey = key, addedTags = new[] { "a", "b" } })).Ok();
        (await comet.PostAsync("write/experiment/tags", new { experimentKey = key, addedTags = new[] { "b", "c" } })).Ok();
        (await comet.PostAsync("write/experiment/html", new { experimentKey = key, html = "<p>1</p>", @override = true })).Ok();
        (await comet.PostAsync("write/experiment/html", new { experimentKey = key, html = "<p>2</p>" })).Ok();
        (await comet.PostAsync("write/experiment/code", new { experimentKey = key, code = "print('hi')" })).Ok();
        (await comet.PostAsync("write/experiment/graph", new { experimentKey = key, graph = "Linear(3, 1)" })).Ok();
        (await comet.PostAsync("write/experiment/system-details", new { experimentKey = key, hostname = "gpu-box", pid = 42, installedPackages = new[] { "numpy==1.26" } })).Ok();
        (await comet.PostAsync("write/experiment/system-details", new { experimentKey = key, os = "Linux" })).Ok();

        Assert.Equal(["a", "b", "c"], (await comet.GetAsync($"experiment/tags?experimentKey={key}")).Ok().GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("<p>1</p><p>2</p>", (await comet.GetAsync($"experiment/html?experimentKey={key}")).Ok().GetProperty("html").GetString());
        Assert.Equal("print('hi')", (await comet.GetAsync($"experiment/code?experimentKey={key}")).Ok().GetProperty("code").GetString());
        Assert.Equal("Linear(3, 1)", (await comet.GetAsync($"experiment/graph?experimentKey={key}")).Ok().GetProperty("graph").GetString());
        var details = (await comet.GetAsync($"experiment/system-details?experimentKey={key}")).Ok();
        Assert.Equal("gpu-box", details.GetProperty("hostname").GetString());
        Assert.Equal(42, details.GetProperty("pid").GetInt32());
        Assert.Equal("Linux", details.GetProperty("os").GetString());
        Assert.Equal(key, details.GetProperty("experimentKey").GetString());
        (await comet.PostAsync("write/experiment/html", new { experimentKey = key })).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Git_metadata_and_patch_are_clearmls_script_and_the_reverse()
    {
        var (comet, clearMl, key, apiKey) = await ExperimentAsync();

        (await comet.PostAsync("write/experiment/git/metadata", new { experimentKey = key, user = "ann", root = "/src", branch = "main", parent = "abc123", origin = "git@host:repo.git" })).Ok();
        var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/rest/v2/write/experiment/git/patch?experimentKey={key}")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent("--- a\n+++ b\n"u8.ToArray()), "file", "patch.diff" } },
        };
        (await comet.SendAsync(upload)).Ok();

        var script = (await clearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task").GetProperty("script");
        Assert.Equal("git@host:repo.git", script.GetProperty("repository").GetString());
        Assert.Equal("abc123", script.GetProperty("version_num").GetString());
        Assert.Equal("--- a\n+++ b\n", script.GetProperty("diff").GetString());
        (await clearMl.CallAsync("tasks.edit", new { task = key, force = true, script = new { branch = "release" } })).Ok();
        var git = (await comet.GetAsync($"experiment/git/metadata?experimentKey={key}")).Ok();
        Assert.Equal("release", git.GetProperty("branch").GetString());
        Assert.Equal("ann", git.GetProperty("user").GetString());
        using var http = fixture.Factory.CreateClient();
        var patch = new HttpRequestMessage(HttpMethod.Get, $"/api/rest/v2/experiment/git/patch?experimentKey={key}");
        patch.Headers.TryAddWithoutValidation("Authorization", apiKey);
        var downloaded = await http.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
        Assert.Equal("--- a\n+++ b\n", await downloaded.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Output_lines_are_the_console_clearml_shows_and_the_reverse()
    {
        var (comet, clearMl, key, _) = await ExperimentAsync();

        (await comet.PostAsync("write/experiment/output", new
        {
            experimentKey = key,
            outputLines = new[]
            {
                new { output = "epoch 1", stderr = false, localTimestamp = 1_790_000_000_000L, offset = 0L },
                new { output = "warning!", stderr = true, localTimestamp = 1_790_000_000_001L, offset = 1L },
            },
        })).Ok();
        (await clearMl.AddEventsAsync([new { type = "log", task = key, level = "info", msg = "from clearml", timestamp = 1_790_000_000_002L }])).Ok();

        Assert.Equal("epoch 1\nwarning!\nfrom clearml\n", (await comet.GetAsync($"experiment/output?experimentKey={key}")).Ok().GetProperty("output").GetString());
        var log = (await clearMl.CallAsync("events.get_task_log", new { task = key, order = "asc", batch_size = 10 })).Ok().GetProperty("events");
        Assert.Equal(["epoch 1", "warning!", "from clearml"], log.EnumerateArray().Select(e => e.GetProperty("msg").GetString()));
        Assert.Equal("error", log[1].GetProperty("level").GetString());
    }

    [Fact]
    public async Task Cloud_details_file_path_and_text_samples_are_kept()
    {
        var (comet, clearMl, key, _) = await ExperimentAsync();

        (await comet.PostAsync("write/experiment/cloud-details", new { experimentKey = key, provider = "aws", metadata = new { region = "eu-west-1" } })).Ok();
        (await comet.PostAsync("write/experiment/file-path", new { experimentKey = key, filePath = "/src/train.py" })).Ok();
        (await comet.PostAsync("write/experiment/upload-text-sample", new { experimentKey = key, step = 3, context = "val", content = "a generated sentence" })).Ok();

        var details = (await comet.GetAsync($"experiment/system-details?experimentKey={key}")).Ok();
        Assert.Equal("eu-west-1", details.GetProperty("cloudDetails").GetProperty("aws").GetProperty("region").GetString());
        Assert.Equal("/src/train.py", details.GetProperty("filePath").GetString());
        var events = (await clearMl.CallAsync("events.get_task_events", new { task = key, batch_size = 10 })).Ok().GetProperty("events");
        Assert.Contains(events.EnumerateArray(), e => e.TryGetProperty("content", out var c) && c.GetString() == "a generated sentence");
        (await comet.PostAsync("write/experiment/upload-text-sample", new { experimentKey = key })).AssertError(HttpStatusCode.BadRequest);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometDetailsTestsOnPostgres(PostgresFixture fixture) : CometDetailsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometDetailsTestsOnSqlite(SqliteFixture fixture) : CometDetailsTests(fixture);
