using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// <c>Bearer JWT</c> (ClearML, ZenML and MLflow clients), or a web UI's session cookie (ClearML's, ZenML's) when no
/// header is sent. A token that is not a JWT (no dots) is taken as an API key (MLflow's MLFLOW_TRACKING_TOKEN), which
/// only the surfaces that accept <see cref="AuthMethod.BearerKey"/> let in.
/// </summary>
public sealed class BearerCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens, ApiKeyCache apiKeys)
    : CredentialHandler(options, logger, encoder)
{
    protected override async Task<(AuthMethod, Identity)?> ProveAsync() => tokens.Presented(Request.HttpContext) switch
    {
        null => null,
        var key when !key.Contains('.') && Request.Headers.Authorization.Count > 0 =>
            (AuthMethod.BearerKey, await apiKeys.FindAsync(key, Context.RequestAborted) ?? throw new AuthFailureException(AuthFailure.InvalidCredentials, "invalid API key")),
        var token => (AuthMethod.Bearer, await tokens.ValidateAsync(token)),
    };
}
