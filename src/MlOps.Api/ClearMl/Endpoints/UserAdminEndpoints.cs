using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML's user administration (<c>auth.create_user</c>, <c>users.delete</c>, ...), open to workspace admins only.</summary>
public static class UserAdminEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("auth.create_user", CreateUser);
        api.MapAction("users.create", CreateUser);
        api.MapAction("users.delete", DeleteUser);
        api.MapAction("auth.edit_user", EditUser);
        api.MapAction("auth.get_token_for_user", GetTokenForUser);
        api.MapAction("auth.fixed_users_mode", FixedUsersMode);
    }

    public sealed record UserRequest(string? User, string? Name, string? Role, long? ExpirationSec);

    public sealed record IdResponse(string Id);

    public sealed record DeletedResponse(bool Deleted);

    public sealed record UpdatedResponse(int Updated, Dictionary<string, string> Fields);

    public sealed record TokenResponse(string Token);

    public sealed record FixedUsersResponse(bool Enabled, bool Migration, bool Guest);

    public static async Task<IdResponse> CreateUser(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        RequireAdmin(call);
        var request = call.Read<UserRequest>();
        var user = await users.CreateAsync(request.Name ?? throw ClearMlException.MissingField("name"), Role(request.Role), ct);
        return new IdResponse(user.Id.ToString("N"));
    }

    public static async Task<DeletedResponse> DeleteUser(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        var caller = RequireAdmin(call);
        var target = UserId(call.Read<UserRequest>().User);
        if (target == caller.UserId)
        {
            throw ClearMlException.Validation("a user cannot delete itself");
        }
        await users.DeleteAsync(target, ct);
        return new DeletedResponse(true);
    }

    public static async Task<UpdatedResponse> EditUser(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        RequireAdmin(call);
        var request = call.Read<UserRequest>();
        await users.SetRoleAsync(UserId(request.User), Role(request.Role ?? throw ClearMlException.MissingField("role")), ct);
        return new UpdatedResponse(1, new() { ["role"] = request.Role });
    }

    /// <summary>A token acting as another user of the same workspace.</summary>
    public static async Task<TokenResponse> GetTokenForUser(ClearMlCall call, UserRepository users, TokenService tokens, CancellationToken ct)
    {
        var caller = RequireAdmin(call);
        var request = call.Read<UserRequest>();
        var user = await users.GetAsync(UserId(request.User), ct);
        var lifetime = request.ExpirationSec is > 0 and { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var (token, _) = tokens.Issue(new Identity(user.Id, user.Name, caller.WorkspaceId, caller.WorkspaceName, user.Role), lifetime);
        return new TokenResponse(token);
    }

    /// <summary>Users are managed (credentials, admin verbs), not fixed in a configuration file.</summary>
    public static FixedUsersResponse FixedUsersMode() => new(false, false, false);

    private static Identity RequireAdmin(ClearMlCall call)
    {
        var caller = call.Http.Caller().Identity;
        return caller.Role == UserRole.Admin ? caller : throw new ClearMlException(403, 20, "Forbidden (not allowed for role)");
    }

    private static UserRole Role(string? role) => role switch
    {
        null or "user" => UserRole.User,
        "admin" => UserRole.Admin,
        _ => throw ClearMlException.Validation($"role must be user or admin, not '{role}'"),
    };

    private static Guid UserId(string? id) =>
        id is null ? throw ClearMlException.MissingField("user") : ClearMlErrors.ParseId(id, EntityKind.User);
}
