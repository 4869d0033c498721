using System.Text.Json;
using System.Threading.Channels;
using MlOps.Api.Auth;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>Comet's registry webhooks: which URLs hear about stage changes of registry model versions.</summary>
public static class CometWebhooks
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/webhooks/config", (HttpContext h, WebhookRepository w, CancellationToken ct) => Configure(h, w, replaceAll: false, ct));
        api.MapPut("/webhooks/config", (HttpContext h, WebhookRepository w, CancellationToken ct) => Configure(h, w, replaceAll: true, ct));
    }

    public sealed record WebhookUrl(string? Url, Dictionary<string, string>? Header);

    public sealed record WebhookConfigItem(string? WorkspaceName, string? ModelName, List<WebhookUrl>? WebhookUrls);

    public sealed record ConfigRequest(List<WebhookConfigItem>? WebhookConfigs);

    /// <summary>POST sets the URLs of the models it names; PUT makes the workspace's webhooks exactly what it sends.</summary>
    public static async Task<IResult> Configure(HttpContext http, WebhookRepository webhooks, bool replaceAll, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<ConfigRequest>(http);
        var configs = new List<WebhookConfig>();
        foreach (var item in request.WebhookConfigs ?? throw CometException.MissingField("webhookConfigs"))
        {
            CometWorkspaces.RequireWorkspace(http, item.WorkspaceName ?? throw CometException.MissingField("webhookConfigs.workspaceName"));
            configs.Add(new WebhookConfig(
                string.IsNullOrEmpty(item.ModelName) ? null : item.ModelName,
                [.. (item.WebhookUrls ?? throw CometException.MissingField("webhookConfigs.webhookUrls")).Select(u => (
                    AbsoluteHttpUrl(u.Url),
                    u.Header is null ? null : JsonSerializer.Serialize(u.Header)))]));
        }
        await webhooks.ConfigureAsync(configs, replaceAll, ct);
        return Results.NoContent();
    }

    private static string AbsoluteHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
            ? url!
            : throw CometException.BadRequest($"webhook url must be an absolute http(s) URL: {url}");
}

/// <summary>
/// Announces registry stage changes to the configured webhook URLs: a JSON POST per URL, sent in the background
/// (a slow or failing receiver never holds up the request that changed the stage); failures are logged.
/// </summary>
public sealed class WebhookNotifier(IHttpClientFactory clients, ILogger<WebhookNotifier> log) : BackgroundService
{
    public const string ClientName = "webhooks";

    public sealed record StageChanged(string WorkspaceName, string ModelName, string Version, List<string> Stages, List<string> PreviousStages, long Timestamp);

    private readonly Channel<(WebhookTarget Target, StageChanged Change)> _queue =
        Channel.CreateBounded<(WebhookTarget, StageChanged)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Queues the announcement of a change (nothing when the stages are unchanged or nobody listens).</summary>
    public async Task AnnounceAsync(HttpContext http, StageChange change, WebhookRepository webhooks, CancellationToken ct)
    {
        if (!change.Changed)
        {
            return;
        }
        var message = new StageChanged(
            http.User.Identity()!.WorkspaceName, change.ModelName, change.Version, change.After, change.Before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        foreach (var target in await webhooks.TargetsForAsync(change.ModelName, ct))
        {
            _queue.Writer.TryWrite((target, message));
        }
    }

    /// <summary>
    /// The connection checks the address the name resolved to, at connect time (so DNS cannot be used to get
    /// around it): loopback, private and link-local addresses are refused unless the operator allows them.
    /// </summary>
    public static SocketsHttpHandler Handler(MlOps.Api.Hosting.WebhookOptions options) => new()
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = clients.CreateClient(ClientName);
        await foreach (var (target, change) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, target.Url)
            {
                Content = JsonContent.Create(change, options: CometJson.Options),
            };
            foreach (var (name, value) in target.Headers is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(target.Headers)!)
            {
                post.Headers.TryAddWithoutValidation(name, value);
            }
            try
            {
                using var answer = await client.SendAsync(post, stoppingToken);
                if (!answer.IsSuccessStatusCode)
                {
                    log.LogWarning("Webhook {Host} answered {Status}", post.RequestUri!.Host, (int)answer.StatusCode);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("Webhook {Host} failed: {Reason}", post.RequestUri!.Host, e.Message);
            }
        }
    }
}
