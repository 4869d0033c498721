using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// <c>Basic base64(name:secret)</c>: a ClearML key pair (SDKs, agents), else a user's name and password (the web UI's
/// sign-in form), the latter through <see cref="PasswordLogins"/>, which throttles guessing.
/// </summary>
public sealed class BasicCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, CredentialStore credentials, PasswordLogins passwords)
    : CredentialHandler(options, logger, encoder)
{
    protected override async Task<(AuthMethod, Identity)?> ProveAsync()
    {
        if (AuthSchemes.HeaderValue(Request, "Basic") is not { } value)
        {
            return null;
        }
        var (name, secret) = Decode(value);
        try
        {
            var (keyPair, identity) = await credentials.CheckKeyPairAsync(name, secret, Context.RequestAborted);
            identity ??= keyPair ? null : await passwords.SignInAsync(Context, name, secret);
            return (AuthMethod.Basic, identity ?? throw new AuthFailureException(AuthFailure.InvalidCredentials, "invalid credentials"));
        }
        catch (LoginThrottledException throttled)
        {
            throw new AuthFailureException(AuthFailure.Throttled, throttled.Message, throttled);
        }
    }

    private static (string, string) Decode(string value)
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
