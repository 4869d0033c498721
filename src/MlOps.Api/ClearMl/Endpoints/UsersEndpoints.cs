using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>users.*</c>: the users of the caller's workspace.</summary>
public static class UsersEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("users.get_current_user", GetCurrentUser);
        api.MapAction("users.get_by_id", GetById);
        api.MapAction("users.get_all", GetAll);
        api.MapAction("users.get_all_ex", GetAll);
        api.MapAction("users.update", Update);
        api.MapAction("users.get_preferences", GetPreferences);
        api.MapAction("users.set_preferences", SetPreferences);
    }

    public sealed record PreferencesRequest(JsonObject? Preferences);

    public sealed record PreferencesResponse(JsonObject Preferences);

    public static async Task<PreferencesResponse> GetPreferences(ClearMlCall call, UserRepository users, CancellationToken ct) =>
        new(JsonText.ObjectOrEmpty((await users.GetAsync(call.Http.Caller().Identity.UserId, ct)).Preferences));

    /// <summary>Merges the given preferences into the stored ones, key by key at every depth (what the web UI expects).</summary>
    public static async Task<UpdateResponse> SetPreferences(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        var given = call.Read<PreferencesRequest>().Preferences ?? throw ClearMlException.MissingField("preferences");
        var userId = call.Http.Caller().Identity.UserId;
        var stored = JsonText.ObjectOrEmpty((await users.GetAsync(userId, ct)).Preferences);
        Merge(stored, given);
        await users.SetPreferencesAsync(userId, stored.ToJsonString(), ct);
        return new UpdateResponse(1, given);
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject nested && target[key] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }


    public sealed record Company(string Id, string Name);

    public sealed record UserDocument(string Id, string Name, string GivenName, string FamilyName, Company Company, string Role, DateTime Created);

    public sealed record Settings(int MaxDownloadItems);

    public sealed record GetCurrentUserResponse(UserDocument User, object? GettingStarted, Settings Settings);

    public sealed record UserRequest(string? User, string? Name);

    public sealed record GetByIdResponse(UserDocument User);

    public sealed record GetAllResponse(List<JsonObject> Users);

    public sealed record UpdateResponse(int Updated, JsonObject Fields);

    public static async Task<GetCurrentUserResponse> GetCurrentUser(ClearMlCall call, UserRepository users, CancellationToken ct) =>
        new(Document(await users.GetAsync(call.Http.Caller().Identity.UserId, ct), call), null, new Settings(1000));

    public static async Task<GetByIdResponse> GetById(ClearMlCall call, UserRepository users, CancellationToken ct) =>
        new(Document(await users.GetAsync(UserId(call.Read<UserRequest>().User), ct), call));

    public static async Task<GetAllResponse> GetAll(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        var request = call.Read<ListRequest>();
        var found = await users.QueryAsync(new UserQuery(request.Ids(), request.Name, request.Ordering(), request.Window()), ct);
        return new GetAllResponse([.. found.Select(u => ClearMlQuery.Project(Document(u, call), request.OnlyFields))]);
    }

    /// <summary>Users may rename themselves; admins may rename anyone in their workspace.</summary>
    public static async Task<UpdateResponse> Update(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        var request = call.Read<UserRequest>();
        var caller = call.Http.Caller().Identity;
        var target = UserId(request.User);
        if (target != caller.UserId && caller.Role != UserRole.Admin)
        {
            throw new ClearMlException(403, 20, "Forbidden (not allowed for role)");
        }
        if (request.Name is null)
        {
            return new UpdateResponse(0, []);
        }
        await users.RenameAsync(target, request.Name, ct);
        return new UpdateResponse(1, new JsonObject { ["name"] = request.Name });
    }

    private static UserDocument Document(User user, ClearMlCall call)
    {
        var identity = call.Http.Caller().Identity;
        return new UserDocument(
            user.Id.ToString("N"),
            user.Name,
            user.Name,
            "",
            new Company(identity.WorkspaceId.ToString("N"), identity.WorkspaceName),
            user.Role == UserRole.Admin ? "admin" : "user",
            user.CreatedAt);
    }

    private static Guid UserId(string? id) =>
        id is null ? throw ClearMlException.MissingField("user") : ClearMlErrors.ParseId(id, EntityKind.User);
}
