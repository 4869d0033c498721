using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.Comet;

public abstract class CometWorkspacesTests(IServerFixture fixture)
{
    [Fact]
    public async Task A_new_workspace_is_listed_and_its_experiments_are_reachable_by_name_and_by_key()
    {
        var home = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(home);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];

        var created = (await comet.PostAsync("write/workspace/new", new { name = team })).Ok();
        Assert.Equal(team, created.GetProperty("workspace_name").GetString());
        Assert.Equal(200, created.GetProperty("code").GetInt32());
        Assert.Equal([home, team], (await comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames").EnumerateArray().Select(w => w.GetString()));
        (await comet.PostAsync("write/workspace/new", new { name = team })).AssertError(HttpStatusCode.BadRequest);

        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = team, projectName = "shared" })).Ok().GetProperty("experimentKey").GetString();
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = key, metricName = "loss", metricValue = 0.5, step = 1 })).Ok();
        var summary = Assert.Single((await comet.GetAsync($"experiment/metrics/summary?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray());
        Assert.Equal("0.5", summary.GetProperty("valueCurrent").GetString());
        Assert.Equal(team, (await comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok().GetProperty("workspaceName").GetString());
        Assert.Single((await comet.GetAsync($"projects?workspaceName={team}")).Ok().GetProperty("projects").EnumerateArray());
        Assert.Empty((await comet.GetAsync($"projects?workspaceName={home}")).Ok().GetProperty("projects").EnumerateArray());

        var stranger = new CometClient(fixture.Factory.CreateClient(), (await fixture.Factory.CreateTenantAsync()).ApiKey);
        (await stranger.GetAsync($"projects?workspaceName={team}")).AssertError(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"experiment/metadata?experimentKey={key}")).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Workspace_admins_add_members_and_service_accounts_whose_keys_rotate()
    {
        var home = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(home);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];
        (await comet.PostAsync("write/workspace/new", new { name = team })).Ok();

        (await comet.PostAsync("write/add-workspace-member", new { userName = "alice", workspaceName = home, admin = false })).AssertError(HttpStatusCode.Forbidden);
        (await comet.PostAsync("write/add-workspace-member", new { userName = "nobody", workspaceName = team, admin = false })).AssertError(HttpStatusCode.NotFound);
        Assert.Equal("added", (await comet.PostAsync("write/add-workspace-member", new { userName = "alice", workspaceName = team, admin = true })).Ok().GetProperty("msg").GetString());

        var account = (await comet.PostAsync("write/service-account", new { name = "ci-bot", teamName = team, organizationName = "org" })).Ok();
        Assert.Equal("ci-bot", account.GetProperty("name").GetString());
        Assert.Equal(team, account.GetProperty("defaultWorkspaceName").GetString());
        Assert.True(account.GetProperty("hasGlobalAccess").GetBoolean());
        Assert.Equal(JsonValueKind.Null, account.GetProperty("authorizedWorkspaces").ValueKind);
        var bot = new CometClient(fixture.Factory.CreateClient(), account.GetProperty("apiKey").GetString());
        Assert.Equal("ci-bot", (await bot.GetAsync("account-details")).Ok().GetProperty("userName").GetString());
        Assert.Equal([team], (await bot.GetAsync("workspaces")).Ok().GetProperty("workspaceNames").EnumerateArray().Select(w => w.GetString()));
        (await comet.PostAsync("write/service-account", new { name = "ci-bot", teamName = team })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/service-account", new { name = "home-bot", teamName = home })).AssertError(HttpStatusCode.Forbidden);

        var rotated = (await comet.GetAsync($"write/api/rotate?userName=ci-bot&workspaceName={team}")).Ok().GetProperty("apiKey").GetString();
        (await bot.GetAsync("account-details")).AssertError(HttpStatusCode.Unauthorized);
        Assert.Equal("ci-bot", (await new CometClient(fixture.Factory.CreateClient(), rotated).GetAsync("account-details")).Ok().GetProperty("userName").GetString());
        (await comet.GetAsync($"write/api/rotate?userName=alice&workspaceName={team}")).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_workspace_administrators_take_a_new_key_for_a_service_account()
    {
        var home = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(home);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];
        (await comet.PostAsync("write/workspace/new", new { name = team })).Ok();
        var admin = fixture.Factory.Services.GetRequiredService<TenantAdmin>();
        await admin.CreateUserAsync(home, "dave", "dave-password", UserRole.User, CancellationToken.None);
        var daveKeys = await admin.CreateCredentialsAsync(home, "dave", CancellationToken.None);
        (await comet.PostAsync("write/add-workspace-member", new { userName = "dave", workspaceName = team, admin = false })).Ok();
        var bot = (await comet.PostAsync("write/service-account", new { name = "deploy-bot", teamName = team })).Ok().GetProperty("apiKey").GetString();

        var dave = new CometClient(fixture.Factory.CreateClient(), daveKeys.ApiKey);
        (await dave.GetAsync($"write/api/rotate?userName=deploy-bot&workspaceName={team}")).AssertError(HttpStatusCode.Forbidden);
        (await dave.GetAsync("write/api/rotate?userName=deploy-bot")).AssertError(HttpStatusCode.Forbidden);
        Assert.Equal("deploy-bot", (await new CometClient(fixture.Factory.CreateClient(), bot).GetAsync("account-details")).Ok().GetProperty("userName").GetString());
    }

    [Fact]
    public async Task Webhooks_hear_about_stage_changes_of_registry_models()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        using var receiver = new WebhookReceiver();
        var item = await WebhookReceiver.RegistryModelVersionAsync(comet, workspace, "net");
        var config = new { webhookConfigs = new[] { new { workspaceName = workspace, modelName = "net", webhookUrls = new[] { new { url = receiver.Url, header = new Dictionary<string, string> { ["Authorization"] = "secret-token" } } } } } };

        using var http = fixture.Factory.CreateClient();
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/rest/v2/webhooks/config") { Content = JsonContent.Create(config) };
        put.Headers.TryAddWithoutValidation("Authorization", keys.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(put)).StatusCode);
        (await comet.GetAsync($"write/registry-model/item/stage?modelItemId={item}&stage=production")).Ok();

        var (headers, body) = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("secret-token", headers["Authorization"]);
        Assert.Equal("net", body.GetProperty("modelName").GetString());
        Assert.Equal("1.0.0", body.GetProperty("version").GetString());
        Assert.Equal(["production"], body.GetProperty("stages").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0, body.GetProperty("previousStages").GetArrayLength());

        // The same kind of change made through ZenML is announced too: webhooks follow the registry, not the surface.
        var zen = new ZenMlClient(fixture.Factory.CreateClient()) { Token = (await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey)).Token };
        (await zen.PutAsync($"/model_versions/{Guid.Parse(item!):D}", new { stage = "staging" })).Ok();
        var (_, fromZenMl) = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["staging"], fromZenMl.GetProperty("stages").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["production"], fromZenMl.GetProperty("previousStages").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(workspace, fromZenMl.GetProperty("workspaceName").GetString());
        (await comet.PostAsync("webhooks/config", new { webhookConfigs = new[] { new { workspaceName = workspace, webhookUrls = new[] { new { url = "ftp://nowhere" } } } } }))
            .AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("webhooks/config", new { webhookConfigs = new[] { new { workspaceName = "elsewhere", webhookUrls = new[] { new { url = receiver.Url } } } } }))
            .AssertError(HttpStatusCode.NotFound);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometWorkspacesTestsOnPostgres(PostgresFixture fixture) : CometWorkspacesTests(fixture)
{
    /// <summary>The other replica had the key cached (for 30 s); the rotation's cluster message empties that cache at once.</summary>
    [Fact]
    public async Task A_key_rotated_on_one_replica_is_refused_by_another_at_once()
    {
        using var other = fixture.NewServerOnSameDatabase();
        var home = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(home);
        var comet = new CometClient(fixture.Factory.CreateClient(), keys.ApiKey);
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];
        (await comet.PostAsync("write/workspace/new", new { name = team })).Ok();
        var key = (await comet.PostAsync("write/service-account", new { name = "sync-bot", teamName = team })).Ok().GetProperty("apiKey").GetString();
        var onOther = new CometClient(other.CreateClient(), key);
        (await onOther.GetAsync("account-details")).Ok(); // now cached there
        await Task.Delay(TimeSpan.FromSeconds(1)); // both replicas listening

        (await comet.GetAsync($"write/api/rotate?userName=sync-bot&workspaceName={team}")).Ok();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        CometResponse answer;
        while ((answer = await onOther.GetAsync("account-details")).Status == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        answer.AssertError(HttpStatusCode.Unauthorized);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class CometWorkspacesTestsOnSqlite(SqliteFixture fixture) : CometWorkspacesTests(fixture);
