using MlOps.Api.Auth;

namespace MlOps.Api.Comet;

/// <summary>Comet account and workspace reads: a key belongs to one user in one workspace.</summary>
public static class CometAccount
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/account-details", AccountDetails);
        api.MapGet("/workspaces", Workspaces);
    }

    public sealed record AccountDetailsResponse(string UserName, string DefaultWorkspaceName);

    public sealed record WorkspacesResponse(List<string> WorkspaceNames);

    public static AccountDetailsResponse AccountDetails(HttpContext http)
    {
        var identity = http.User.Identity()!;
        return new AccountDetailsResponse(identity.UserName, identity.WorkspaceName);
    }

    public static WorkspacesResponse Workspaces(HttpContext http) => new([http.User.Identity()!.WorkspaceName]);

    /// <summary>The named workspace must be the caller's own; any other name is as unknown as a missing one.</summary>
    public static void RequireWorkspace(HttpContext http, string? workspaceName)
    {
        if (workspaceName is not null && workspaceName != http.User.Identity()!.WorkspaceName)
        {
            throw new CometException(404, "Workspace not found");
        }
    }
}
