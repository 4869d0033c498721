using MlOps.Api.Auth;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>auth.*</c>: exchanging a key pair for a JWT.</summary>
public static class AuthService
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("auth.login", Login).Allow(ClearMlAccess.Login);
        api.MapAction("auth.logout", Logout);
    }

    public sealed record LoginRequest(long? ExpirationSec);

    public sealed record LoginResponse(string Token);

    public static LoginResponse Login(ClearMlCall call, TokenService tokens)
    {
        var request = call.Read<LoginRequest>();
        if (request.ExpirationSec is <= 0)
        {
            throw ClearMlException.Validation("expiration_sec must be positive");
        }
        var lifetime = request.ExpirationSec is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var (token, _) = tokens.Issue(call.Http.User.Identity()!, lifetime);
        return new LoginResponse(token);
    }

    /// <summary>Tokens are self-contained and not revoked server-side; logout only clears the web UI's cookie.</summary>
    public static object Logout(ClearMlCall call)
    {
        call.Http.Response.Cookies.Delete("clearml_token_basic");
        return new { };
    }
}
