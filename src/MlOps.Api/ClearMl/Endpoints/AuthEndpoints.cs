using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>auth.*</c>: exchanging a key pair for a JWT, and managing one's own key pairs.</summary>
public static class AuthEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("auth.login", Login).Allow(ClearMlAccess.Login);
        api.MapAction("auth.logout", Logout);
        api.MapAction("auth.validate_token", ValidateToken);
        api.MapAction("auth.create_credentials", CreateCredentials);
        api.MapAction("auth.get_credentials", GetCredentials);
        api.MapAction("auth.revoke_credentials", RevokeCredentials);
        api.MapAction("auth.edit_credentials", EditCredentials);
    }

    public sealed record LoginRequest(long? ExpirationSec);

    public sealed record LoginResponse(string Token);

    public sealed record ValidateTokenRequest(string? Token);

    public sealed record ValidateTokenResponse(bool Valid, string? User, string? Company, string? Msg);

    public sealed record NewCredentials(string AccessKey, string SecretKey);

    public sealed record CreateCredentialsResponse(NewCredentials Credentials);

    public sealed record CredentialKey(string AccessKey, string? Label, DateTime Created);

    public sealed record EditCredentialsRequest(string? AccessKey, string? Label);

    public sealed record UpdatedResponse(int Updated);

    public sealed record GetCredentialsResponse(List<CredentialKey> Credentials);

    public sealed record RevokeRequest(string? AccessKey);

    public sealed record RevokeResponse(int Revoked);

    public static LoginResponse Login(ClearMlCall call, TokenService tokens)
    {
        var request = call.Read<LoginRequest>();
        if (request.ExpirationSec is <= 0)
        {
            throw ClearMlException.Validation("expiration_sec must be positive");
        }
        var lifetime = request.ExpirationSec is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var (token, expires) = tokens.Issue(call.Http.Caller().Identity, lifetime);
        // The web UI ignores the token in the answer and relies on this cookie; API clients ignore the cookie.
        call.Http.Response.Cookies.Append(TokenService.SessionCookie, token, new CookieOptions
        {
            HttpOnly = true, Path = "/", SameSite = SameSiteMode.Lax, Expires = expires, Secure = call.Http.Request.IsHttps,
        });
        return new LoginResponse(token);
    }

    /// <summary>Signs the presented token out (on every replica, until it expires) and clears the web UI's cookie.</summary>
    public static async Task<object> Logout(ClearMlCall call, TokenService tokens, CancellationToken ct)
    {
        if (tokens.Presented(call.Http) is { } token)
        {
            await tokens.RevokeAsync(token, ct);
        }
        call.Http.Response.Cookies.Delete(TokenService.SessionCookie, new CookieOptions { Path = "/" });
        return new { };
    }

    /// <summary>Checks a token for the caller: valid for this server, and within the caller's own workspace.</summary>
    public static async Task<ValidateTokenResponse> ValidateToken(ClearMlCall call, TokenService tokens)
    {
        var token = call.Read<ValidateTokenRequest>().Token ?? throw ClearMlException.MissingField("token");
        try
        {
            var identity = await tokens.ValidateAsync(token);
            return identity.WorkspaceId == call.Http.Caller().Identity.WorkspaceId
                ? new ValidateTokenResponse(true, identity.UserId.ToString("N"), identity.WorkspaceId.ToString("N"), null)
                : new ValidateTokenResponse(false, null, null, "invalid token");
        }
        catch (AuthFailureException e)
        {
            return new ValidateTokenResponse(false, null, null, e.Message);
        }
    }

    /// <summary>A new key pair for the caller; the secret is shown in this answer only.</summary>
    public static async Task<CreateCredentialsResponse> CreateCredentials(ClearMlCall call, TenantAdmin admin, CancellationToken ct)
    {
        var identity = call.Http.Caller().Identity;
        var (accessKey, secretKey) = await admin.IssueKeyPairAsync(identity.WorkspaceId, identity.UserId, ct);
        return new CreateCredentialsResponse(new NewCredentials(accessKey, secretKey));
    }

    public static async Task<GetCredentialsResponse> GetCredentials(ClearMlCall call, UserRepository users, CancellationToken ct) =>
        new([.. (await users.KeyPairsAsync(call.Http.Caller().Identity.UserId, ct)).Select(c => new CredentialKey(c.Identifier, c.Label, c.CreatedAt))]);

    public static async Task<UpdatedResponse> EditCredentials(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        var request = call.Read<EditCredentialsRequest>();
        var accessKey = request.AccessKey ?? throw ClearMlException.MissingField("access_key");
        return new UpdatedResponse(await users.LabelKeyPairAsync(call.Http.Caller().Identity.UserId, accessKey, request.Label, ct));
    }

    public static async Task<RevokeResponse> RevokeCredentials(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        var accessKey = call.Read<RevokeRequest>().AccessKey ?? throw ClearMlException.MissingField("access_key");
        return new RevokeResponse(await users.RevokeKeyPairAsync(call.Http.Caller().Identity.UserId, accessKey, ct));
    }
}
