using Microsoft.AspNetCore.Authorization;
using MlOps.Api.Auth;

namespace MlOps.Api.ClearMl;

/// <summary>Who may call a ClearML endpoint.</summary>
public enum ClearMlAccess
{
    /// <summary>A Bearer token from auth.login (the default).</summary>
    Token,
    /// <summary>auth.login itself: Basic key:secret (or user:password), or a still-valid Bearer token.</summary>
    Login,
    /// <summary>No credentials needed (debug.ping, server.info): the endpoint allows anonymous callers.</summary>
    Anonymous,
}

/// <summary>Endpoint metadata overriding the default <see cref="ClearMlAccess.Token"/>.</summary>
public sealed record ClearMlAccessRule(ClearMlAccess Access);

/// <summary>The ClearML policy's rule: a token everywhere, Basic credentials only where the endpoint says <see cref="ClearMlAccess.Login"/>.</summary>
public sealed class ClearMlAccessRequirement : IAuthorizationRequirement;

public sealed class ClearMlAccessHandler : AuthorizationHandler<ClearMlAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ClearMlAccessRequirement requirement)
    {
        var access = (context.Resource as HttpContext)?.GetEndpoint()?.Metadata.GetMetadata<ClearMlAccessRule>()?.Access ?? ClearMlAccess.Token;
        var method = context.User.Method();
        if (method == AuthMethod.Bearer || (method == AuthMethod.Basic && access == ClearMlAccess.Login))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
