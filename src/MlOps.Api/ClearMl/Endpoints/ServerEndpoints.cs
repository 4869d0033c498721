using MlOps.Api.Auth;
using MlOps.Data;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>server.info</c> and <c>debug.ping</c>: the calls that need no credentials.</summary>
public static class ServerEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("server.info", Info).Allow(ClearMlAccess.Anonymous);
        api.MapAction("debug.ping", Ping).Allow(ClearMlAccess.Anonymous);
        api.MapAction("server.report_stats_option", ReportStatsOption);
    }

    public sealed record ReportStatsOptionResponse(bool Supported, bool Enabled, string CurrentVersion);

    public sealed record InfoResponse(string Version, string Build, string Commit, string Uid, string ApiVersion);

    public sealed record PingResponse(string Msg);

    public static async Task<InfoResponse> Info(ServerSettingsStore settings, CancellationToken ct)
    {
        var uid = await settings.ServerIdAsync(ct);
        return new InfoResponse(TokenService.ServerVersion, "mlops", "", uid.ToString("N"), TokenService.ApiVersion);
    }

    public static PingResponse Ping() => new("ClearML server");

    /// <summary>This server never reports usage statistics anywhere, so the option is not supported.</summary>
    public static ReportStatsOptionResponse ReportStatsOption() => new(false, false, TokenService.ServerVersion);
}
