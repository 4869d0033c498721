using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>Feeds the authenticated caller's workspace to the DbContext's tenant filter.</summary>
public sealed class HttpWorkspaceScope(IHttpContextAccessor accessor) : IWorkspaceScope
{
    public Guid? WorkspaceId => accessor.HttpContext?.User.Identity()?.WorkspaceId;
}
