using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// The one authentication handler: turns each surface's credential into the same principal.
/// It only establishes identity; which methods an endpoint accepts, and how a rejection is
/// worded, is each surface's business (see the surfaces' auth filters).
/// </summary>
public sealed class MlOpsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CredentialStore credentials,
    ApiKeyCache apiKeys,
    TokenService tokens,
    PasswordLogins passwords)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MlOps";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header))
        {
            // The web UI's session: its token travels in a cookie, never in a header.
            header = Request.Cookies[TokenService.SessionCookie] is { Length: > 0 } session ? "Bearer " + session : null;
        }
        if (header is null)
        {
            return AuthenticateResult.NoResult();
        }
        try
        {
            var (method, identity) = await AuthenticateAsync(header.Trim());
            return AuthenticateResult.Success(new AuthenticationTicket(
                CallerClaims.ToPrincipal(identity, method, SchemeName), SchemeName));
        }
        catch (AuthFailureException failure)
        {
            return AuthenticateResult.Fail(failure);
        }
    }

    private async Task<(AuthMethod, Identity)> AuthenticateAsync(string header)
    {
        var space = header.IndexOf(' ');
        if (space < 0)
        {
            return (AuthMethod.BareKey, await ApiKeyAsync(header));
        }
        var scheme = header[..space];
        var value = header[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return (AuthMethod.Bearer, await tokens.ValidateAsync(value));
        }
        if (scheme.Equals("Key", StringComparison.OrdinalIgnoreCase))
        {
            return (AuthMethod.Key, await ApiKeyAsync(value));
        }
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            // A key pair (SDKs, agents) or a user's name and password (the web UI's sign-in form).
            var (accessKey, secretKey) = DecodeBasic(value);
            try
            {
                var identity = await credentials.FindByKeyPairAsync(accessKey, secretKey, Context.RequestAborted)
                    ?? await passwords.SignInAsync(Context, accessKey, secretKey)
                    ?? throw new AuthFailureException(AuthFailure.InvalidCredentials, "invalid credentials");
                return (AuthMethod.Basic, identity);
            }
            catch (LoginThrottledException throttled)
            {
                throw new AuthFailureException(AuthFailure.Throttled, throttled.Message, throttled);
            }
        }
        throw new AuthFailureException(AuthFailure.WrongScheme, "bad authentication header type");
    }

    private async Task<Identity> ApiKeyAsync(string key) =>
        await apiKeys.FindAsync(key, Context.RequestAborted)
        ?? throw new AuthFailureException(AuthFailure.InvalidCredentials, "invalid API key");

    private static (string, string) DecodeBasic(string value)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            throw new AuthFailureException(AuthFailure.Malformed, "malformed credentials");
        }
        var colon = decoded.IndexOf(':');
        return colon > 0
            ? (decoded[..colon], decoded[(colon + 1)..])
            : throw new AuthFailureException(AuthFailure.Malformed, "malformed credentials");
    }
}
