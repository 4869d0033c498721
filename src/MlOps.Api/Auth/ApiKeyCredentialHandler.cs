using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// An API key: bare (<c>Authorization: KEY</c>, as Comet clients send it) or <c>Key KEY</c> (Clarifai's). Any other
/// header with a scheme no handler knows is refused here as the wrong kind.
/// </summary>
public sealed class ApiKeyCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache apiKeys)
    : CredentialHandler(options, logger, encoder)
{
    protected override async Task<(AuthMethod, Identity)?> ProveAsync()
    {
        var header = Request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0 || AuthSchemes.HeaderValue(Request, "Bearer") is not null || AuthSchemes.HeaderValue(Request, "Basic") is not null)
        {
            return null;
        }
        var space = header.IndexOf(' ');
        if (space < 0)
        {
            return (AuthMethod.BareKey, await FindAsync(header));
        }
        return header[..space].Equals("Key", StringComparison.OrdinalIgnoreCase)
            ? (AuthMethod.Key, await FindAsync(header[(space + 1)..].Trim()))
            : throw new AuthFailureException(AuthFailure.WrongScheme, "bad authentication header type");
    }

    private async Task<Identity> FindAsync(string key) =>
        await apiKeys.FindAsync(key, Context.RequestAborted) ?? throw new AuthFailureException(AuthFailure.InvalidCredentials, "invalid API key");
}
