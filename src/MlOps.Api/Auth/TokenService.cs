using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MlOps.Api.Hosting;
using MlOps.Data;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// Issues and checks the JWTs used as Bearer tokens by ClearML and ZenML clients. The claims
/// include what the ClearML SDK decodes (api_version, server_version, feature_set, exp).
/// The HMAC key comes from configuration or is generated once and kept in the database, so
/// tokens survive restarts and every replica accepts every other replica's tokens.
/// </summary>
public sealed class TokenService(IOptions<MlOpsOptions> options, ServerSettingsStore settings, TokenRevocations revocations, TimeProvider clock)
{
    public const string ApiVersion = "2.31";
    public const string ServerVersion = "1.17.0";
    /// <summary>The cookie holding a web UI session's token (the name ClearML's server uses).</summary>
    public const string SessionCookie = "clearml_token_basic";
    /// <summary>ZenML's dashboard session cookie is named after the server's id, as ZenML's server names it.</summary>
    private const string ZenMlSessionCookiePrefix = "zenml-server-";
    private const string Issuer = "mlops";
    private const string SigningKeySetting = "jwt_signing_key";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private SymmetricSecurityKey? _key;
    private string? _zenMlSessionCookie;

    public async Task InitializeAsync(CancellationToken ct)
    {
        var configured = options.Value.Auth.JwtSigningKey;
        if (!string.IsNullOrEmpty(configured) && System.Text.Encoding.UTF8.GetByteCount(configured) < 32)
        {
            throw new InvalidOperationException("MlOps:Auth:JwtSigningKey must be at least 32 bytes.");
        }
        var material = string.IsNullOrEmpty(configured)
            ? Convert.FromBase64String(await settings.GetOrCreateAsync(
                SigningKeySetting, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), ct))
            : System.Text.Encoding.UTF8.GetBytes(configured);
        _key = new SymmetricSecurityKey(material);
        _zenMlSessionCookie = ZenMlSessionCookiePrefix + (await settings.ServerIdAsync(ct)).ToString("D");
    }

    /// <summary>The name of the HttpOnly cookie a ZenML password login sets for the dashboard.</summary>
    public string ZenMlSessionCookie => _zenMlSessionCookie ?? throw new InvalidOperationException("TokenService was not initialized.");

    private SymmetricSecurityKey Key => _key ?? throw new InvalidOperationException("TokenService was not initialized.");

    public (string Token, DateTimeOffset ExpiresAt) Issue(Identity identity, TimeSpan? lifetime = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + (lifetime ?? TimeSpan.FromSeconds(options.Value.Auth.TokenLifetimeSeconds));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = identity.UserId.ToString("N"),
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["identity"] = new Dictionary<string, object>
                {
                    ["user"] = identity.UserId.ToString("N"),
                    ["company"] = identity.WorkspaceId.ToString("N"),
                    ["role"] = identity.Role == UserRole.Admin ? "admin" : "user",
                    ["user_name"] = identity.UserName,
                    ["company_name"] = identity.WorkspaceName,
                },
                ["api_version"] = ApiVersion,
                ["server_version"] = ServerVersion,
                ["server_build"] = "mlops",
                ["feature_set"] = "basic",
                ["env"] = "production",
            },
        };
        return (_handler.CreateToken(descriptor), expires);
    }

    public async Task<Identity> ValidateAsync(string token)
    {
        var jwt = await ValidJwtAsync(token);
        if (jwt.Id is { Length: > 0 } tokenId && await revocations.IsRevokedAsync(tokenId, CancellationToken.None))
        {
            throw new AuthFailureException(AuthFailure.InvalidToken, "token revoked");
        }
        return ReadIdentity(jwt) ?? throw new AuthFailureException(AuthFailure.InvalidToken, "invalid token");
    }

    /// <summary>Signs the token out on every replica until it expires; a token that is not valid anyway is left alone.</summary>
    public async Task RevokeAsync(string token, CancellationToken ct)
    {
        JsonWebToken jwt;
        try
        {
            jwt = await ValidJwtAsync(token);
        }
        catch (AuthFailureException)
        {
            return;
        }
        if (jwt.Id is { Length: > 0 } tokenId)
        {
            await revocations.RevokeAsync(tokenId, jwt.ValidTo == DateTime.MinValue ? DateTimeOffset.MaxValue : new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), ct);
        }
    }

    /// <summary>
    /// The token a request carries: its Bearer header, or, when it sends no Authorization header at all, a web UI's
    /// session cookie (ClearML's web UI or ZenML's dashboard).
    /// </summary>
    public string? Presented(HttpContext http) =>
        http.Request.Headers.Authorization.ToString().Length > 0
            ? AuthSchemes.HeaderValue(http.Request, AuthSchemes.Bearer)
            : http.Request.Cookies[SessionCookie] is { Length: > 0 } clearMl ? clearMl
            : _zenMlSessionCookie is not null && http.Request.Cookies[_zenMlSessionCookie] is { Length: > 0 } zenMl ? zenMl
            : null;

    private async Task<JsonWebToken> ValidJwtAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidateAudience = false,
            IssuerSigningKey = Key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (_, expires, _, _) => expires is null || expires > clock.GetUtcNow().UtcDateTime,
        });
        if (!result.IsValid)
        {
            throw result.Exception is SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException
                ? new AuthFailureException(AuthFailure.ExpiredToken, "token expired")
                : new AuthFailureException(AuthFailure.InvalidToken, "invalid token");
        }
        return (JsonWebToken)result.SecurityToken;
    }

    private static Identity? ReadIdentity(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<JsonElement>("identity", out var identity))
        {
            return null;
        }
        string? Field(string name) => identity.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return Guid.TryParse(Field("user"), out var user) && Guid.TryParse(Field("company"), out var workspace)
            ? new Identity(user, Field("user_name") ?? "", workspace, Field("company_name") ?? "",
                Field("role") == "admin" ? UserRole.Admin : UserRole.User)
            : null;
    }
}
