using Microsoft.AspNetCore.Authentication;
using MlOps.Data.Entities;

namespace MlOps.Api.Auth;

/// <summary>
/// One authentication scheme per credential kind, and one policy per surface naming the kinds it takes. A request's
/// principal (for code outside the surfaces, and the reason a credential failed) comes from <see cref="Any"/>, which
/// forwards to the scheme of the credential the request carries.
/// </summary>
public static class AuthSchemes
{
    public const string Basic = "Basic";
    public const string Bearer = "Bearer";
    public const string ApiKey = "ApiKey";
    public const string Any = "Credential";

    public const string ClearMlPolicy = "clearml";
    public const string CometPolicy = "comet";
    public const string ZenMlPolicy = "zenml";
    public const string ClarifaiPolicy = "clarifai";
    public const string MlflowPolicy = "mlflow";

    /// <summary>The header's value after <c>{scheme} </c>, or null when the header is of another scheme.</summary>
    public static string? HeaderValue(HttpRequest request, string scheme) =>
        request.Headers.Authorization.ToString().Trim() is var header
        && header.Length > scheme.Length && header.StartsWith(scheme + " ", StringComparison.OrdinalIgnoreCase)
            ? header[(scheme.Length + 1)..].Trim()
            : null;

    public static IServiceCollection AddMlOpsAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Any)
            .AddPolicyScheme(Any, null, o => o.ForwardDefaultSelector = http =>
                HeaderValue(http.Request, Basic) is not null ? Basic
                : HeaderValue(http.Request, Bearer) is not null || http.Request.Headers.Authorization.Count == 0 ? Bearer
                : ApiKey)
            .AddScheme<AuthenticationSchemeOptions, BasicCredentialHandler>(Basic, null)
            .AddScheme<AuthenticationSchemeOptions, BearerCredentialHandler>(Bearer, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyCredentialHandler>(ApiKey, null);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ClearMl.ClearMlAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ClearMlPolicy, p => p.AddAuthenticationSchemes(Bearer, Basic).AddRequirements(new ClearMl.ClearMlAccessRequirement()))
            .AddPolicy(CometPolicy, p => p.AddAuthenticationSchemes(ApiKey).RequireClaim(CallerClaims.AuthMethodClaim, nameof(AuthMethod.BareKey)))
            .AddPolicy(ZenMlPolicy, p => p.AddAuthenticationSchemes(Bearer).RequireClaim(CallerClaims.AuthMethodClaim, nameof(AuthMethod.Bearer)))
            .AddPolicy(MlflowPolicy, p => p.AddAuthenticationSchemes(Basic, Bearer)
                .RequireClaim(CallerClaims.AuthMethodClaim, nameof(AuthMethod.Basic), nameof(AuthMethod.Bearer), nameof(AuthMethod.BearerKey)))
            .AddPolicy(ClarifaiPolicy, p => p.AddAuthenticationSchemes(ApiKey).RequireClaim(CallerClaims.AuthMethodClaim, nameof(AuthMethod.Key)));
        return services;
    }
}
