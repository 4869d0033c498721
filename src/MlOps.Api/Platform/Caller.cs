using MlOps.Api.Auth;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Platform;

/// <summary>
/// Who is calling and in which workspace: one per request, read from the authenticated principal, taken by handlers
/// as a parameter; the DbContext's tenant filter reads its workspace. Acting in another workspace the caller is a
/// member of (Comet) is the explicit <see cref="ActIn"/>, and <see cref="Home"/> stays the workspace the credentials
/// belong to.
/// </summary>
public sealed class Caller(IHttpContextAccessor accessor) : IWorkspaceScope
{
    private Identity? _home;
    private Identity? _current;

    /// <summary>The caller, or null before authentication (or on an anonymous endpoint).</summary>
    public Identity? Optional
    {
        get
        {
            if (_home is null && accessor.HttpContext?.User.Identity() is { } authenticated)
            {
                _home = _current = authenticated;
            }
            return _current;
        }
    }

    public Identity Identity => Optional ?? throw new InvalidOperationException("the request has no authenticated caller");

    /// <summary>The identity the credentials prove, whichever workspace the request acts in.</summary>
    public Identity Home => Optional is null ? Identity : _home!;

    public Guid UserId => Identity.UserId;
    public string UserName => Identity.UserName;
    public Guid WorkspaceId => Identity.WorkspaceId;
    public string WorkspaceName => Identity.WorkspaceName;
    public UserRole Role => Identity.Role;

    Guid? IWorkspaceScope.WorkspaceId => Optional?.WorkspaceId;

    /// <summary>From here on the request acts in that workspace (the caller's membership was checked by the surface).</summary>
    public void ActIn(Guid workspaceId, string workspaceName) => _current = Identity with { WorkspaceId = workspaceId, WorkspaceName = workspaceName };
}

public static class CallerExtensions
{
    /// <summary>The request's <see cref="Caller"/>, for code that has the HttpContext rather than the parameter.</summary>
    public static Caller Caller(this HttpContext http) => http.RequestServices.GetRequiredService<Caller>();
}
