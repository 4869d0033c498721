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
        using var receiver = new WebhookReceiver();
        var item = await WebhookReceiver.RegistryModelVersionAsync(comet, workspace, "net");
        await WebhookReceiver.ConfigureAsync(comet, workspace, "net", receiver.Url);

        (await comet.GetAsync($"write/registry-model/item/stage?modelItemId={item}&stage=production")).Ok();

        Assert.False(await receiver.HearsAnythingAsync(TimeSpan.FromSeconds(3)), "a webhook reached a loopback address");
    }
}
