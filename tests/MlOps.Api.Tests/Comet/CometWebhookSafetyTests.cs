using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

[Collection(PostgresCollection.Name)]
public sealed class CometWebhookSafetyTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Webhooks_do_not_reach_the_servers_own_network_unless_allowed()
    {
        await using var server = fixture.NewServerOnSameDatabase(new Dictionary<string, string> { ["MlOps:Webhooks:AllowPrivateNetworks"] = "false" });
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await server.CreateTenantAsync(workspace);
        var comet = new CometClient(server.CreateClient(), keys.ApiKey);
        using var receiver = new CometWorkspacesTests.WebhookReceiver();
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "hooks" })).Ok().GetProperty("experimentKey").GetString();
        (await comet.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&fileName=w.pt&groupingName=net")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent([1]), "file", "w.pt" } },
        })).Ok();
        var modelId = (await comet.GetAsync($"experiment/model?experimentKey={key}")).Ok().GetProperty("models")[0].GetProperty("experimentModelId").GetString();
        var item = (await comet.PostAsync("write/registry-model", new { experimentModelId = modelId, registryModelName = "net", version = "1.0.0" })).Ok().GetProperty("registryModelItemId").GetString();
        using var http = server.CreateClient();
        var configure = new HttpRequestMessage(HttpMethod.Post, "/api/rest/v2/webhooks/config")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { webhookConfigs = new[] { new { workspaceName = workspace, webhookUrls = new[] { new { url = receiver.Url } } } } }),
        };
        configure.Headers.TryAddWithoutValidation("Authorization", keys.ApiKey);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.SendAsync(configure)).StatusCode);

        (await comet.GetAsync($"write/registry-model/item/stage?modelItemId={item}&stage=production")).Ok();

        Assert.False(await receiver.HearsAnythingAsync(TimeSpan.FromSeconds(3)), "a webhook reached a loopback address");
    }
}
