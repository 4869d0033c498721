using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MlOps.Api.Operations;
using MlOps.Data;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// ZenML's server settings (name, logo, analytics and announcement switches) and onboarding state. Each workspace
/// is a ZenML server of its own here, so its settings are kept per workspace; only an admin changes them.
/// </summary>
public static class ZenMlServerSettings
{
    private sealed record StoredSettings(
        string? ServerName, string? LogoUrl, bool EnableAnalytics, bool? DisplayAnnouncements, bool? DisplayUpdates, DateTime? Updated);

    private sealed record SettingsBody(
        Guid ServerId, string ServerName, string? LogoUrl, bool Active, bool EnableAnalytics, bool? DisplayAnnouncements, bool? DisplayUpdates,
        DateTime LastUserActivity, DateTime Updated);

    private sealed record SettingsOut(SettingsBody Body, object Metadata, object Resources);

    private sealed record SettingsRequest(string? ServerName, string? LogoUrl, bool? EnableAnalytics, bool? DisplayAnnouncements, bool? DisplayUpdates);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/settings", async (HttpContext http, ServerSettingsStore settings, TimeProvider clock) =>
            Render(await settings.ServerIdAsync(http.RequestAborted), await ReadAsync(http, settings), clock));
        api.MapPut("/settings", async (HttpContext http, ServerSettingsStore settings, TimeProvider clock) =>
        {
            ZenMlApi.RequireAdmin(http);
            var body = await ZenMlApi.ReadAsync<SettingsRequest>(http);
            if (body.ServerName is { } name && string.IsNullOrWhiteSpace(name))
            {
                throw ZenMlException.Invalid("ensure this value has at least 1 characters", "body", "server_name");
            }
            var current = await ReadAsync(http, settings);
            var changed = new StoredSettings(body.ServerName ?? current.ServerName, body.LogoUrl ?? current.LogoUrl,
                body.EnableAnalytics ?? current.EnableAnalytics, body.DisplayAnnouncements ?? current.DisplayAnnouncements,
                body.DisplayUpdates ?? current.DisplayUpdates, clock.GetUtcNow().UtcDateTime);
            await settings.SetAsync(Key(http), JsonSerializer.Serialize(changed, ZenMlApi.Json), http.RequestAborted);
            return Render(await settings.ServerIdAsync(http.RequestAborted), changed, clock);
        }).Documents<SettingsRequest>(ZenMlApi.Json);

        api.MapGet("/onboarding_state", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var state = new List<string>();
            if (await pipelines.Runs.AnyAsync(http.RequestAborted))
            {
                state.Add("pipeline_run");
            }
            return state;
        });
    }

    private static string Key(HttpContext http) => $"zenml_settings:{ZenMlApi.Caller(http).WorkspaceId:N}";

    private static async Task<StoredSettings> ReadAsync(HttpContext http, ServerSettingsStore settings) =>
        await settings.GetAsync(Key(http), http.RequestAborted) is { } text
            ? JsonSerializer.Deserialize<StoredSettings>(text, ZenMlApi.Json)!
            : new StoredSettings(null, null, false, null, null, null);

    private static SettingsOut Render(Guid serverId, StoredSettings s, TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new SettingsOut(
            new SettingsBody(serverId, s.ServerName ?? "mlops", s.LogoUrl, true, s.EnableAnalytics, s.DisplayAnnouncements, s.DisplayUpdates, now, s.Updated ?? now),
            new { }, new { });
    }
}
