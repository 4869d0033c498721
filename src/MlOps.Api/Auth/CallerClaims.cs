using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>The principal every scheme produces, and the way back from it.</summary>
public static class CallerClaims
{
    public const string UserId = "mlops:user";
    public const string UserName = "mlops:user_name";
    public const string WorkspaceId = "mlops:workspace";
    public const string WorkspaceName = "mlops:workspace_name";
    public const string Role = "mlops:role";
    public const string AuthMethodClaim = "mlops:method";

    public static ClaimsPrincipal ToPrincipal(Identity identity, AuthMethod method, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(UserId, identity.UserId.ToString()),
                new Claim(UserName, identity.UserName),
                new Claim(WorkspaceId, identity.WorkspaceId.ToString()),
                new Claim(WorkspaceName, identity.WorkspaceName),
                new Claim(Role, identity.Role.ToString()),
                new Claim(AuthMethodClaim, method.ToString()),
            ],
            scheme));

    public static Identity? Identity(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(UserId), out var userId)
        && Guid.TryParse(principal.FindFirstValue(WorkspaceId), out var workspaceId)
        && Enum.TryParse<UserRole>(principal.FindFirstValue(Role), out var role)
            ? new Identity(userId, principal.FindFirstValue(UserName)!, workspaceId, principal.FindFirstValue(WorkspaceName)!, role)
            : null;

    public static AuthMethod? Method(this ClaimsPrincipal principal) =>
        Enum.TryParse<AuthMethod>(principal.FindFirstValue(AuthMethodClaim), out var method) ? method : null;
}
