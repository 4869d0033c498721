using Microsoft.EntityFrameworkCore;
using MlOps.Api.Auth;
using MlOps.Data;
using MlOps.Data.Entities;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>users.*</c>.</summary>
public static class UsersService
{
    public static void Map(RouteGroupBuilder api) => api.MapAction("users.get_current_user", GetCurrentUser);

    public sealed record Company(string Id, string Name);

    public sealed record UserDocument(string Id, string Name, string GivenName, string FamilyName, Company Company, string Role, DateTime Created);

    public sealed record Settings(int MaxDownloadItems);

    public sealed record GetCurrentUserResponse(UserDocument User, object? GettingStarted, Settings Settings);

    public static async Task<GetCurrentUserResponse> GetCurrentUser(ClearMlCall call, MlOpsDbContext db, CancellationToken ct)
    {
        var identity = call.Http.User.Identity()!;
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == identity.UserId, ct)
            ?? throw new ClearMlException(400, 300, "invalid user: failed loading user");
        var document = new UserDocument(
            user.Id.ToString("N"),
            user.Name,
            user.Name,
            "",
            new Company(identity.WorkspaceId.ToString("N"), identity.WorkspaceName),
            user.Role == UserRole.Admin ? "admin" : "user",
            user.CreatedAt);
        return new GetCurrentUserResponse(document, null, new Settings(1000));
    }
}
