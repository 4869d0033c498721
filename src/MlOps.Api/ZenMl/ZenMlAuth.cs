using Microsoft.Extensions.Options;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Data;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.ZenMl;

/// <summary>What a client calls before it has a token: the server's description, the login, the logout.</summary>
public static class ZenMlAuth
{
    private sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn);

    /// <summary>The ZenML version whose API this surface speaks, reported by <c>/info</c> for the client's compatibility check.</summary>
    public const string ServerVersion = "0.80.0";

    private sealed record ServerInfo(
        Guid Id, string Name, string Version, bool Active, bool Debug, string DeploymentType, string DatabaseType, string SecretsStoreType,
        string AuthScheme, string ServerUrl, string DashboardUrl, bool AnalyticsEnabled, Dictionary<string, string> Metadata);

    /// <summary>What a client may call before it has a token: the server's description and the login.</summary>
    public static void MapOpen(RouteGroupBuilder api)
    {
        api.MapGet("/info", async (HttpContext http, ServerSettingsStore settings, MlOpsDbContext db) =>
        {
            return new ServerInfo(await settings.ServerIdAsync(http.RequestAborted), "mlops", ServerVersion, true, false, "other",
                db.Provider == DatabaseProvider.Sqlite ? "sqlite" : "other", "sql", "OAUTH2_PASSWORD_BEARER", "", "", false, []);
        });
        api.MapPost("/login", LoginAsync).DisableAntiforgery();
        api.MapMethods("/logout", ["GET", "POST"], LogoutAsync);
    }

    /// <summary>The OAuth2 password form ZenML clients post; any other grant or a wrong password is a 401.</summary>
    private static async Task<IResult> LoginAsync(HttpContext http, PasswordLogins passwords, TokenService tokens, IOptions<MlOpsOptions> options)
    {
        if (!http.Request.HasFormContentType)
        {
            throw ZenMlException.Invalid("field required", "body", "username");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var username = form["username"].ToString();
        var password = form["password"].ToString();
        if (username.Length == 0)
        {
            throw ZenMlException.Invalid("field required", "body", "username");
        }
        if (!form.ContainsKey("password"))
        {
            throw ZenMlException.Invalid("field required", "body", "password");
        }
        Identity? identity;
        try
        {
            identity = await passwords.SignInAsync(http, username, password);
        }
        catch (LoginThrottledException throttled)
        {
            throttled.AddRetryAfter(http.Response);
            throw new ZenMlException(429, "IllegalOperationError", "Authentication error: too many failed sign-in attempts; try again later");
        }
        if (identity is null)
        {
            throw ZenMlException.Unauthorized("Authentication error: invalid username or password");
        }
        var (token, _) = tokens.Issue(identity);
        ZenMlSessionCookie.Append(http, tokens.ZenMlSessionCookie, token, options.Value.Auth.TokenLifetimeSeconds);
        return Results.Json(new TokenResponse(token, "bearer", options.Value.Auth.TokenLifetimeSeconds), ZenMlApi.Json);
    }

    /// <summary>Signs the presented token out on every replica and clears the dashboard's session cookie, present or not.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, TokenService tokens)
    {
        if (tokens.Presented(http) is { } token)
        {
            await tokens.RevokeAsync(token, http.RequestAborted);
        }
        ZenMlSessionCookie.Delete(http, tokens.ZenMlSessionCookie);
        return Results.Json(null, ZenMlApi.Json);
    }
}
