using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary><c>Bearer JWT</c> (ClearML and ZenML clients), or a web UI's session cookie (ClearML's, ZenML's) when no header is sent.</summary>
public sealed class BearerCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens)
    : CredentialHandler(options, logger, encoder)
{
    protected override async Task<(AuthMethod, Identity)?> ProveAsync() =>
        tokens.Presented(Request.HttpContext) is { } token ? (AuthMethod.Bearer, await tokens.ValidateAsync(token)) : null;
}
