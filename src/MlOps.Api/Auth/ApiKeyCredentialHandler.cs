using System.Text.Json;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// An API key: bare (<c>Authorization: KEY</c>, as Comet clients send it) or <c>Key KEY</c> (Clarifai's). Any other
/// header with a scheme no handler knows is refused here as the wrong kind. Without the header, a key where comet_ml
/// also puts it (the <c>apiKey</c> query parameter of uploads, the <c>apiKey</c> or <c>api_key</c> field of a JSON
/// body) counts as a bare key.
/// </summary>
public sealed class ApiKeyCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache apiKeys)
    : CredentialHandler(options, logger, encoder)
{
    protected override async Task<(AuthMethod, Identity)?> ProveAsync()
    {
        var header = Request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0)
        {
            return await KeyOutsideHeaderAsync() is { } key ? (AuthMethod.BareKey, await FindAsync(key)) : null;
        }
        if (AuthSchemes.HeaderValue(Request, "Bearer") is not null || AuthSchemes.HeaderValue(Request, "Basic") is not null)
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

    private static readonly string[] KeyFields = ["apiKey", "api_key"];

    private async Task<string?> KeyOutsideHeaderAsync()
    {
        if (KeyFields.Select(f => Request.Query[f].ToString()).FirstOrDefault(k => k.Length > 0) is { } fromQuery)
        {
            return fromQuery;
        }
        if (!Request.HasJsonContentType())
        {
            return null;
        }
        try
        {
            using var body = JsonDocument.Parse(await Hosting.RequestBody.BytesAsync(Context));
            return body.RootElement.ValueKind != JsonValueKind.Object ? null
                : KeyFields.Select(f => body.RootElement.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
                    .FirstOrDefault(k => !string.IsNullOrEmpty(k));
        }
        catch (JsonException)
        {
            return null; // the handler reports the malformed body
        }
    }

    private async Task<Identity> FindAsync(string key) =>
        await apiKeys.FindAsync(key, Context.RequestAborted) ?? throw new AuthFailureException(AuthFailure.InvalidCredentials, "invalid API key");
}
