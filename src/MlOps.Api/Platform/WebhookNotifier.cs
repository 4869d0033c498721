using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Events;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Platform;

/// <summary>
/// Announces registry stage changes, made through any surface, to the workspace's webhook URLs (configured through
/// Comet's <c>webhooks/config</c>): a JSON POST per URL, sent in the background, so a slow or failing receiver never
/// holds up the request that changed the stage; failures are logged.
/// </summary>
public sealed class WebhookNotifier(IHttpClientFactory clients, WorkspaceContextFactory contexts, ILogger<WebhookNotifier> log)
    : BackgroundService, IDomainEventSink
{
    public const string ClientName = "webhooks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a receiver gets, in Comet's field names.</summary>
    public sealed record StageChanged(string WorkspaceName, string ModelName, string Version, IReadOnlyList<string> Stages, IReadOnlyList<string> PreviousStages, long Timestamp);

    private readonly Channel<RegistryStageChanged> _changes =
        Channel.CreateBounded<RegistryStageChanged>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Publish(IDomainEvent domainEvent)
    {
        if (domainEvent is RegistryStageChanged change)
        {
            _changes.Writer.TryWrite(change);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = clients.CreateClient(ClientName);
        await foreach (var change in _changes.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await AnnounceAsync(client, change, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Webhooks for a stage change could not be sent");
            }
        }
    }

    private async Task AnnounceAsync(HttpClient client, RegistryStageChanged change, CancellationToken ct)
    {
        await using var db = contexts.For(change.WorkspaceId);
        var model = await db.RegisteredModels.AsNoTracking().Where(m => m.Id == change.RegisteredModelId).Select(m => m.Name).SingleOrDefaultAsync(ct);
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == change.WorkspaceId).Select(w => w.Name).SingleAsync(ct);
        if (model is null)
        {
            return;
        }
        var message = new StageChanged(workspace, model, change.Version, change.After, change.Before, new DateTimeOffset(change.At).ToUnixTimeMilliseconds());
        foreach (var target in await new WebhookRepository(db).TargetsForAsync(model, ct))
        {
            await PostAsync(client, target, message, ct);
        }
    }

    private async Task PostAsync(HttpClient client, WebhookTarget target, StageChanged message, CancellationToken ct)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = JsonContent.Create(message, options: Json) };
        foreach (var (name, value) in target.Headers is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(target.Headers)!)
        {
            post.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var answer = await client.SendAsync(post, ct);
            if (!answer.IsSuccessStatusCode)
            {
                log.LogWarning("Webhook {Host} answered {Status}", post.RequestUri!.Host, (int)answer.StatusCode);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning("Webhook {Host} failed: {Reason}", post.RequestUri!.Host, e.Message);
        }
    }

    /// <summary>
    /// The connection checks the address the name resolved to, at connect time (so DNS cannot be used to get
    /// around it): loopback, private and link-local addresses are refused unless the operator allows them.
    /// </summary>
    public static SocketsHttpHandler Handler(Hosting.WebhookOptions options) => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => options.AllowPrivateNetworks || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"webhook host {context.DnsEndPoint.Host} is not on a public network");
            }
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static bool IsPublic(System.Net.IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (System.Net.IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
        {
            return false;
        }
        var b = address.GetAddressBytes();
        return address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !(
            b[0] is 0 or 10 or 127
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }
}
