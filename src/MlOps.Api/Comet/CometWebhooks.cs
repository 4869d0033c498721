using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
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
