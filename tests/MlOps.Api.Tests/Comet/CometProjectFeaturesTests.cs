using System.Net;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

/// <summary>Project queries, share links, symlinks, panel stores and uploads, RPC requests.</summary>
public abstract class CometProjectFeaturesTests(IServerFixture fixture)
{
    private async Task<(CometClient Comet, string Workspace)> TenantAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        return (new CometClient(fixture.Factory.CreateClient(), keys.ApiKey), workspace);
    }

    private static async Task<string> ExperimentAsync(CometClient comet, string workspace, string project, string name) =>
        (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = project, experimentName = name })).Ok()
            .GetProperty("experimentKey").GetString()!;

    [Fact]
    public async Task A_project_query_selects_experiments_by_metric_parameter_tag_and_other()
    {
        var (comet, workspace) = await TenantAsync();
        var good = await ExperimentAsync(comet, workspace, "search", "good");
        var bad = await ExperimentAsync(comet, workspace, "search", "bad");
        foreach (var (key, accuracy, lr) in new[] { (good, 0.93, "0.01"), (bad, 0.41, "0.5") })
        {
            (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "accuracy", metricValue = accuracy, step = 1 })).Ok();
            (await comet.PostAsync("write/experiment/parameter", new { experimentKey = key, parameterName = "lr", parameterValue = lr })).Ok();
        }
        (await comet.PostAsync("write/experiment/tags", new { experimentKey = good, addedTags = new[] { "candidate" } })).Ok();
        (await comet.PostAsync("write/experiment/log-other", new { experimentKey = bad, key = "note", value = "diverged" })).Ok();

        async Task<List<string?>> Query(object predicates, bool archived = false) =>
            [.. (await comet.PostAsync("project/query", new { workspaceName = workspace, projectName = "search", predicates, archived })).Ok()
                .GetProperty("experimentKeys").EnumerateArray().Select(k => k.GetString())];

        Assert.Equal([good], await Query(new[] { new { field = "accuracy", source = "metrics", @operator = "greater", value = (object)0.9 } }));
        Assert.Equal([bad], await Query(new[] { new { field = "lr", source = "params", @operator = "equal", value = (object)"0.5" } }));
        Assert.Equal([good], await Query(new[] { new { field = "tags", source = "tag", @operator = "contains", value = (object)"cand" } }));
        Assert.Equal([bad], await Query(new[] { new { field = "note", source = "log_other", @operator = "is_not_null", value = (object)"" } }));
        Assert.Equal(2, (await Query(new
        {
            condition = "OR",
            rules = new[] { new { field = "experimentName", source = "metadata", @operator = "equal", value = "good" }, new { field = "experimentName", source = "metadata", @operator = "begins_with", value = "ba" } },
        })).Count);
        (await comet.GetAsync($"write/experiment/archive?experimentKey={bad}")).Ok();
        Assert.Equal([bad], await Query(Array.Empty<object>(), archived: true));
        (await comet.PostAsync("project/query", new { workspaceName = workspace, projectName = "search", predicates = new[] { new { field = "x", source = "metrics", @operator = "sounds_like", value = 1 } } }))
            .AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("project/query", new { workspaceName = workspace, projectName = "nope", predicates = Array.Empty<object>() })).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Share_links_come_and_go_and_symlinks_show_an_experiment_in_another_project()
    {
        var (comet, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "home", "linked");
        var other = await ExperimentAsync(comet, workspace, "home", "moved");
        var projectId = (await comet.GetAsync($"project?workspaceName={workspace}&projectName=home")).Ok().GetProperty("projectId").GetString();

        var code = (await comet.GetAsync($"write/project/add-share-link?projectId={projectId}")).Ok().GetProperty("shareCode").GetString();
        (await comet.GetAsync($"write/project/delete-project-share-link?projectId={projectId}&shareCode={code}")).Ok();
        (await comet.GetAsync($"write/project/delete-project-share-link?projectId={projectId}&shareCode={code}")).AssertError(HttpStatusCode.NotFound);

        var link = (await comet.GetAsync($"write/project/symlink?experimentKey={key}&projectName=showcase")).Ok().GetProperty("link").GetString();
        Assert.EndsWith($"/{workspace}/showcase/{key}", link);
        (await comet.PostAsync("write/experiment/move", new { targetWorkspaceName = workspace, targetProjectName = "showcase", experimentKeys = new[] { other }, symlink = true })).Ok();
        var showcase = (await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=showcase")).Ok().GetProperty("experiments");
        Assert.Equal(new[] { key, other }.Order(StringComparer.Ordinal), showcase.EnumerateArray().Select(e => e.GetProperty("experimentKey").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await comet.GetAsync($"experiments?workspaceName={workspace}&projectName=home")).Ok().GetProperty("experiments").GetArrayLength());
        (await comet.GetAsync($"write/project/symlink?experimentKey={Guid.NewGuid():N}&projectName=showcase")).AssertError(HttpStatusCode.NotFound);
        (await comet.PostAsync("write/experiment/move", new { targetWorkspaceName = workspace, targetProjectName = "never", experimentKeys = new[] { key, Guid.NewGuid().ToString("N") }, symlink = false }))
            .AssertError(HttpStatusCode.NotFound);
        (await comet.GetAsync($"project?workspaceName={workspace}&projectName=never")).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_panel_store_reads_back_panels_upload_and_rpc_calls_are_recorded()
    {
        var (comet, workspace) = await TenantAsync();
        var key = await ExperimentAsync(comet, workspace, "panels", "run");
        var projectId = (await comet.GetAsync($"project?workspaceName={workspace}&projectName=panels")).Ok().GetProperty("projectId").GetString();

        (await comet.PostAsync("write/viz-instance/store/save", new { instanceId = "chart-1", projectId, store = "{\"zoom\": 2}" })).Ok();
        (await comet.PostAsync("write/viz-instance/store/save", new { instanceId = "chart-1", projectId, store = "{\"zoom\": 3}" })).Ok();
        Assert.Equal("{\"zoom\": 3}", (await comet.GetAsync($"viz-instance/store/get?projectId={projectId}&instanceId=chart-1")).Ok().GetProperty("store").GetString());
        (await comet.GetAsync($"viz-instance/store/get?projectId={projectId}&instanceId=other")).AssertError(HttpStatusCode.NotFound);
        (await comet.PostAsync("write/viz-instance/store/save", new { instanceId = "x", projectId = Guid.NewGuid().ToString("N"), store = "{}" })).AssertError(HttpStatusCode.NotFound);

        var panel = (await comet.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/rest/v2/write/template/upload")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("print('panel')")), "file", "panel.py" } },
        })).Ok();
        Assert.Equal("panel.py", panel.GetProperty("templateName").GetString());
        (await comet.PostAsync("write/template/upload", new { })).AssertError(HttpStatusCode.BadRequest);

        var call = (await comet.PostAsync("write/experiment/rpc/send", new { experimentKey = key, functionName = "stop_early", arguments = new[] { new { name = "patience", value = 3 } } })).Ok();
        Assert.Equal(32, call.GetProperty("callId").GetString()!.Length);
        (await comet.PostAsync("write/experiment/rpc/send", new { experimentKey = Guid.NewGuid().ToString("N"), functionName = "f" })).AssertError(HttpStatusCode.NotFound);
        (await comet.PostAsync("write/experiment/rpc/send", new { experimentKey = key })).AssertError(HttpStatusCode.BadRequest);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometProjectFeaturesTestsOnPostgres(PostgresFixture fixture) : CometProjectFeaturesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometProjectFeaturesTestsOnSqlite(SqliteFixture fixture) : CometProjectFeaturesTests(fixture);
