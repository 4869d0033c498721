using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Data.Entities;
using MlOps.Data.Events;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Platform;

/// <summary>
/// Announces registry stage changes, made through any surface, to the workspace's webhook URLs (configured through
/// Comet's <c>webhooks/config</c>): a JSON POST per URL, from the outbox the change was written to
/// (<see cref="WebhookOutbox"/>), by whichever replica is alive, at least once. A receiver that fails or does not
/// answer is tried again later, each wait twice the last (from <see cref="WebhookOptions.RetrySeconds"/> up to an hour),
/// until <see cref="WebhookOptions.GiveUpAfterHours"/>. Nothing here holds up the request that changed the stage.
/// </summary>
public sealed class WebhookNotifier(
    IHttpClientFactory clients, WorkspaceContextFactory contexts, WebhookOutbox outbox, IOptions<MlOpsOptions> options,
    TimeProvider clock, ILogger<WebhookNotifier> log)
    : BackgroundService, IDomainEventSink
{
    public const string ClientName = "webhooks";

    private const int BatchSize = 20;

    /// <summary>Longer than a batch takes (each POST times out after 10 s); a replica that dies holding rows frees them then.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a receiver gets, in Comet's field names.</summary>
    public sealed record StageChanged(string WorkspaceName, string ModelName, string Version, IReadOnlyList<string> Stages, IReadOnlyList<string> PreviousStages, long Timestamp);

    private readonly SemaphoreSlim _wake = new(0, 1);

    private WebhookOptions Settings => options.Value.Webhooks;

    /// <summary>A change this process committed is in the outbox already: look now rather than at the next poll.</summary>
    public void Publish(IDomainEvent domainEvent)
    {
        if (domainEvent is RegistryStageChanged && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = clients.CreateClient(ClientName);
        var poll = TimeSpan.FromSeconds(Math.Min(Settings.RetrySeconds, 5));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(client, stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "The webhook outbox could not be read; trying again shortly");
            }
            try
            {
                await _wake.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> SendDueAsync(HttpClient client, CancellationToken ct)
    {
        var due = await outbox.ClaimAsync(BatchSize, Lease, ct);
        await Task.WhenAll(due.Select(row => row.Url is null ? LookUpReceiversAsync(row, ct) : SendAsync(client, row, ct)));
        return due.Count;
    }

    /// <summary>A change becomes one announcement per receiver, each then sent (and tried again) on its own.</summary>
    private async Task LookUpReceiversAsync(WebhookDelivery row, CancellationToken ct)
    {
        var change = JsonSerializer.Deserialize<RegistryStageChanged>(row.Payload)!;
        await using var db = contexts.For(row.WorkspaceId);
        var model = await db.RegisteredModels.AsNoTracking().Where(m => m.Id == change.RegisteredModelId).Select(m => m.Name).SingleOrDefaultAsync(ct);
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == change.WorkspaceId).Select(w => w.Name).SingleOrDefaultAsync(ct);
        if (model is null || workspace is null)
        {
            await outbox.ReplaceAsync(row, [], ct);
            return;
        }
        var message = JsonSerializer.Serialize(
            new StageChanged(workspace, model, change.Version, change.After, change.Before, new DateTimeOffset(change.At).ToUnixTimeMilliseconds()), Json);
        var now = clock.GetUtcNow().UtcDateTime;
        var announcements = (await new WebhookRepository(db).TargetsForAsync(model, ct))
            .Select(target => new WebhookDelivery
            {
                WorkspaceId = row.WorkspaceId, Url = target.Url, Headers = target.Headers, Payload = message, NextAttemptAt = now, CreatedAt = row.CreatedAt,
            })
            .ToList();
        await outbox.ReplaceAsync(row, announcements, ct);
    }

    private async Task SendAsync(HttpClient client, WebhookDelivery row, CancellationToken ct)
    {
        var failure = await PostAsync(client, row, ct);
        if (failure is null)
        {
            await outbox.DoneAsync(row, ct);
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var host = new Uri(row.Url!).Host;
        if (now - row.CreatedAt > TimeSpan.FromHours(Settings.GiveUpAfterHours))
        {
            log.LogError("Webhook {Host} gave up after {Attempts} attempts: {Reason}", host, row.Attempts + 1, failure);
            await outbox.DoneAsync(row, ct);
            return;
        }
        var wait = TimeSpan.FromSeconds(Math.Min(Settings.RetrySeconds * Math.Pow(2, row.Attempts), LongestWait.TotalSeconds));
        log.LogWarning("Webhook {Host} failed ({Reason}); trying again in {Wait}", host, failure, wait);
        await outbox.RetryAsync(row, now + wait, failure, ct);
    }

    /// <summary>Null when the receiver took it (any 2xx), else why not.</summary>
    private static async Task<string?> PostAsync(HttpClient client, WebhookDelivery row, CancellationToken ct)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, row.Url)
        {
            Content = new StringContent(row.Payload, System.Text.Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in row.Headers is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(row.Headers)!)
        {
            post.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var answer = await client.SendAsync(post, ct);
            return answer.IsSuccessStatusCode ? null : $"answered {(int)answer.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return e.Message;
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
