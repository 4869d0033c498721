using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

/// <summary>
/// Stage changes reach webhooks from a durable outbox: a receiver that fails hears the announcement again, later;
/// a change outlives the replica that made it.
/// </summary>
public abstract class WebhookDeliveryTests
{
    protected static readonly Dictionary<string, string> QuickRetries = new() { ["MlOps:Webhooks:RetrySeconds"] = "1" };

    /// <summary>
    /// On PostgreSQL the suite's main server (failed announcements tried again after 10 s, then 20 s) may claim a
    /// retry before the quick server does.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A server of its own, trying failed announcements again after a second.</summary>
    protected abstract MlOpsFactory QuickRetryServer();

    [Fact]
    public async Task A_receiver_that_fails_hears_the_same_announcement_again_until_it_takes_it()
    {
        var server = QuickRetryServer();
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var comet = new CometClient(server.CreateClient(), (await server.CreateTenantAsync(workspace)).ApiKey);
        using var receiver = new WebhookReceiver();
        var item = await WebhookReceiver.RegistryModelVersionAsync(comet, workspace, "flaky");
        await WebhookReceiver.ConfigureAsync(comet, workspace, "flaky", receiver.Url);

        (await comet.GetAsync($"write/registry-model/item/stage?modelItemId={item}&stage=production")).Ok();

        var (_, first) = await receiver.NextAsync(Patience, HttpStatusCode.ServiceUnavailable);
        var (_, second) = await receiver.NextAsync(Patience, HttpStatusCode.InternalServerError);
        var (_, third) = await receiver.NextAsync(Patience);
        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Equal(first.GetRawText(), third.GetRawText());
        Assert.Equal("flaky", third.GetProperty("modelName").GetString());
        Assert.Equal(["production"], third.GetProperty("stages").EnumerateArray().Select(s => s.GetString()));
        Assert.False(await receiver.HearsAnythingAsync(TimeSpan.FromSeconds(4)), "an announcement the receiver took was sent again");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class WebhookDeliveryTestsOnSqlite : WebhookDeliveryTests, IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "mlops-webhooks-" + Guid.NewGuid().ToString("N"));
    private MlOpsFactory? _server;

    protected override MlOpsFactory QuickRetryServer() => _server = new MlOpsFactory("Sqlite", "", _dataDir, QuickRetries);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class WebhookDeliveryTestsOnPostgres(PostgresFixture fixture) : WebhookDeliveryTests
{
    protected override MlOpsFactory QuickRetryServer() => fixture.NewServerOnSameDatabase(QuickRetries);

    /// <summary>
    /// The replica that made the change is killed before any receiver listened; another replica, started later,
    /// announces it (the outbox row was written with the change).
    /// </summary>
    [Fact]
    public async Task A_change_is_announced_by_another_replica_after_the_one_that_made_it_was_killed()
    {
        var settings = new Dictionary<string, string> { ["MlOps__Webhooks__AllowPrivateNetworks"] = "true", ["MlOps__Webhooks__RetrySeconds"] = "1" };
        var dataDir = Path.Combine(Path.GetTempPath(), "mlops-webhook-replica-" + Guid.NewGuid().ToString("N"));
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var apiKey = (await fixture.Factory.CreateTenantAsync(workspace)).ApiKey;
        var port = ServerProcess.FreePort(); // nobody listens there yet
        string item;
        await using (var first = new ServerProcess("Postgres", fixture.ConnectionString, dataDir + "-a", settings))
        {
            await first.StartAsync();
            var comet = new CometClient(new HttpClient { BaseAddress = first.BaseAddress }, apiKey);
            item = await WebhookReceiver.RegistryModelVersionAsync(comet, workspace, "durable");
            await WebhookReceiver.ConfigureAsync(comet, workspace, "durable", WebhookReceiver.UrlOn(port));
            (await comet.GetAsync($"write/registry-model/item/stage?modelItemId={item}&stage=staging")).Ok();
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // it tries, and fails: connection refused
            await first.KillAsync();
        }

        using var receiver = new WebhookReceiver(port);
        await using var second = new ServerProcess("Postgres", fixture.ConnectionString, dataDir + "-b", settings);
        await second.StartAsync();

        var (_, body) = await receiver.NextAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("durable", body.GetProperty("modelName").GetString());
        Assert.Equal(["staging"], body.GetProperty("stages").EnumerateArray().Select(s => s.GetString()));
    }
}
