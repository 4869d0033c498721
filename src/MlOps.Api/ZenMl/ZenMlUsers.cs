using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Security;

namespace MlOps.Api.ZenMl;

/// <summary>
/// Users and the signed-in user. A user's ZenML <c>user_metadata</c> (what the dashboard remembers: the onboarding
/// survey, the tour) is kept under its own key of the user's preferences document, beside ClearML's web UI preferences.
/// </summary>
public static class ZenMlUsers
{
    private const string UserMetadataKey = "zenml_user_metadata";

    private sealed record UserOut(Guid Id, string Name, string? FullName, string? Email, bool Active, bool IsAdmin, DateTime Created);

    private sealed record UserBody(
        DateTime Created, DateTime Updated, bool Active, string? ActivationToken, string FullName, bool? EmailOptedIn, bool IsServiceAccount,
        bool IsAdmin, Guid? DefaultProjectId, string? AvatarUrl);

    private sealed record UserMetadataPart(string? Email, string? ExternalUserId, JsonObject UserMetadata);

    private sealed record UserRequest(
        string? Name, string? FullName, string? Email, bool? Active, bool? IsAdmin, string? Password, string? OldPassword,
        JsonElement? UserMetadata, bool? EmailOptedIn);

    private static readonly FieldFilters<User> Fields = new FieldFilters<User>()
        .Add("id", u => u.Id).Add("name", u => u.Name).Add("full_name", u => u.FullName).Add("email", u => u.Email)
        .Add("active", u => !u.Deactivated).Add("is_admin", u => u.Role == UserRole.Admin)
        .Add("created", u => u.CreatedAt).Add("updated", u => u.CreatedAt);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/current-user", async (HttpContext http, UserRepository users) =>
            Render(http, await users.GetAsync(ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        api.MapPut("/current-user", async (HttpContext http, UserRepository users, PasswordHasher passwords) =>
        {
            var body = await ZenMlApi.ReadAsync<UserRequest>(http);
            if (body.IsAdmin is not null || body.Active is not null)
            {
                throw ZenMlException.Forbidden("you cannot change your own admin status or activation");
            }
            var me = await users.GetAsync(ZenMlApi.Caller(http).UserId, http.RequestAborted);
            if (body.Password is not null
                && (body.OldPassword is null || me.PasswordHash is null || !passwords.Check(body.OldPassword, me.PasswordHash).Valid))
            {
                throw ZenMlException.Forbidden("changing your password needs your current password as old_password");
            }
            return Render(http, await UpdateAsync(users, me.Id, body, http.RequestAborted));
        }).Documents<UserRequest>(ZenMlApi.Json);

        api.MapGet("/users", (HttpContext http, UserRepository users) =>
            ZenMlApi.PageAsync(http, users.Users.Where(u => !u.IsServiceAccount), Fields, u => u.Id, u => Render(http, u)));
        api.MapPost("/users", async (HttpContext http, UserRepository users) =>
        {
            ZenMlApi.RequireAdmin(http);
            var body = await ZenMlApi.ReadAsync<UserRequest>(http);
            var user = await users.CreateAsync(ZenMlApi.Required(body.Name, "name"), body.IsAdmin == true ? UserRole.Admin : UserRole.User,
                new UserProfile(body.FullName, body.Email, body.Active, body.Password), http.RequestAborted);
            return ZenMlApi.Created(Render(http, user));
        }).Documents<UserRequest>(ZenMlApi.Json);
        api.MapGet("/users/{user_id}", async (string user_id, HttpContext http, UserRepository users) =>
            Render(http, await users.GetAsync(await IdAsync(user_id, users, http), http.RequestAborted)));
        api.MapPut("/users/{user_id}", async (string user_id, HttpContext http, UserRepository users) =>
        {
            var id = await IdAsync(user_id, users, http);
            var body = await ZenMlApi.ReadAsync<UserRequest>(http);
            if (id != ZenMlApi.Caller(http).UserId || body.IsAdmin is not null || body.Active is not null)
            {
                ZenMlApi.RequireAdmin(http);
            }
            return Render(http, await UpdateAsync(users, id, body, http.RequestAborted));
        }).Documents<UserRequest>(ZenMlApi.Json);
        api.MapDelete("/users/{user_id}", async (string user_id, HttpContext http, UserRepository users) =>
        {
            ZenMlApi.RequireAdmin(http);
            var id = await IdAsync(user_id, users, http);
            if (id == ZenMlApi.Caller(http).UserId)
            {
                throw ZenMlException.Forbidden("you cannot delete the user account you are logged in with");
            }
            await users.DeleteAsync(id, http.RequestAborted);
            return Results.NoContent();
        });
    }

    /// <summary>A user as another entity's <c>resources.user</c>: its body, no metadata.</summary>
    public static JsonObject Nested(User u)
    {
        var user = ZenMlView.Node(new { id = u.Id, name = u.Name });
        user["body"] = ZenMlView.Node(Body(u));
        user["resources"] = new JsonObject();
        return user;
    }

    private static JsonObject Render(HttpContext http, User u) =>
        ZenMlView.Of(http).Entity(
            new UserOut(u.Id, u.Name, u.FullName, u.Email, !u.Deactivated, u.Role == UserRole.Admin, u.CreatedAt),
            Body(u), new UserMetadataPart(u.Email, null, ReadUserMetadata(u.Preferences)), new JsonObject());

    private static UserBody Body(User u) =>
        new(u.CreatedAt, u.CreatedAt, !u.Deactivated, null, u.FullName ?? "", null, u.IsServiceAccount, u.Role == UserRole.Admin, null, null);

    private static async Task<User> UpdateAsync(UserRepository users, Guid id, UserRequest body, CancellationToken ct)
    {
        var role = body.IsAdmin is { } admin ? admin ? UserRole.Admin : UserRole.User : (UserRole?)null;
        var user = await users.UpdateAsync(id, body.Name, role, new UserProfile(body.FullName, body.Email, body.Active, body.Password), ct);
        if (ZenMlApi.JsonText(body.UserMetadata, "user_metadata") is { } metadata)
        {
            user.Preferences = WriteUserMetadata(user.Preferences, JsonNode.Parse(metadata)!.AsObject());
            await users.SetPreferencesAsync(id, user.Preferences, ct);
        }
        return user;
    }

    private static JsonObject ReadUserMetadata(string? preferences) =>
        preferences is not null && JsonNode.Parse(preferences) is JsonObject document && document[UserMetadataKey] is JsonObject metadata
            ? metadata.DeepClone().AsObject()
            : [];

    private static string WriteUserMetadata(string? preferences, JsonObject metadata)
    {
        var document = preferences is not null && JsonNode.Parse(preferences) is JsonObject existing ? existing : [];
        document[UserMetadataKey] = metadata;
        return document.ToJsonString();
    }

    private static async Task<Guid> IdAsync(string nameOrId, UserRepository users, HttpContext http) =>
        Guid.TryParse(nameOrId, out var id) ? id
        : await users.FindIdAsync(nameOrId, http.RequestAborted) ?? throw ZenMlException.NotFound($"User not found: {nameOrId}");
}
