using MlOps.Api.Auth;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>login.*</c>: which sign-in modes the server offers (the web UI asks before it shows a login form).</summary>
public static class LoginEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("login.supported_modes", SupportedModes).Allow(ClearMlAccess.Anonymous);
        api.MapAction("login.logout", AuthEndpoints.Logout).Allow(ClearMlAccess.Anonymous);
    }

    public sealed record Guest(bool Enabled);

    public sealed record Basic(bool Enabled, Guest Guest);

    public sealed record ServerErrors(bool MissedEsUpgrade, bool EsConnectionError);

    public sealed record SupportedModesResponse(Basic Basic, Dictionary<string, string> Sso, List<object> SsoProviders, ServerErrors ServerErrors, bool Authenticated);

    /// <summary>Only key/secret (basic) sign-in; no guest access, no SSO.</summary>
    public static SupportedModesResponse SupportedModes(ClearMlCall call) =>
        new(new Basic(true, new Guest(false)), [], [], new ServerErrors(false, false), call.Http.User.Method() == AuthMethod.Bearer);
}
