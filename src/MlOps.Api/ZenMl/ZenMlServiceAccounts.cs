using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.ZenMl;

/// <summary>
/// Service accounts: the workspace's non-human users (Comet's service accounts are the same rows) and their API keys,
/// listed by label and date (a key itself is only ever shown when it is issued).
/// </summary>
public static class ZenMlServiceAccounts
{
    private sealed record ServiceAccountRequest(string? Name, string? Description, bool? Active);

    private sealed record AccountBody(DateTime Created, DateTime Updated, bool Active, string FullName, string? AvatarUrl);

    private sealed record AccountMetadata(string Description);

    private static readonly FieldFilters<User> Fields = new FieldFilters<User>()
        .Add("id", u => u.Id).Add("name", u => u.Name).Add("active", u => !u.Deactivated)
        .Add("created", u => u.CreatedAt).Add("updated", u => u.CreatedAt);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/service_accounts", (HttpContext http, UserRepository users) =>
            ZenMlApi.PageAsync(http, users.Users.Where(u => u.IsServiceAccount), Fields, u => u.Id, u => Render(http, u)));
        api.MapPost("/service_accounts", async (HttpContext http, TenantAdmin admin, UserRepository users) =>
        {
            ZenMlApi.RequireAdmin(http);
            var body = await ZenMlApi.ReadAsync<ServiceAccountRequest>(http);
            var caller = ZenMlApi.Caller(http);
            User account;
            try
            {
                (account, _) = await admin.CreateServiceAccountAsync(caller.WorkspaceId, ZenMlApi.Required(body.Name, "name"), caller.UserId, http.RequestAborted);
            }
            catch (TenantAdminException e)
            {
                throw new ZenMlException(409, "EntityExistsError", e.Message);
            }
            if (body.Active == false)
            {
                account = await users.UpdateAsync(account.Id, null, null, new UserProfile(Active: false), http.RequestAborted);
            }
            return ZenMlApi.Created(Render(http, account));
        }).Documents<ServiceAccountRequest>(ZenMlApi.Json);
        api.MapGet("/service_accounts/{service_account_name_or_id}", async (string service_account_name_or_id, HttpContext http, UserRepository users) =>
            Render(http, await FindAsync(service_account_name_or_id, users, http)));
        api.MapDelete("/service_accounts/{service_account_name_or_id}", async (string service_account_name_or_id, HttpContext http, UserRepository users) =>
        {
            ZenMlApi.RequireAdmin(http);
            await users.DeleteAsync((await FindAsync(service_account_name_or_id, users, http)).Id, http.RequestAborted);
            return Results.NoContent();
        });
        api.MapPut("/service_accounts/{service_account_name_or_id}", async (string service_account_name_or_id, HttpContext http, UserRepository users) =>
        {
            ZenMlApi.RequireAdmin(http);
            var body = await ZenMlApi.ReadAsync<ServiceAccountRequest>(http);
            var account = await FindAsync(service_account_name_or_id, users, http);
            if (body.Name is { } name && string.IsNullOrWhiteSpace(name))
            {
                throw ZenMlException.Invalid("ensure this value has at least 1 characters", "body", "name");
            }
            return Render(http, await users.UpdateAsync(account.Id, body.Name, null, new UserProfile(Active: body.Active), http.RequestAborted));
        }).Documents<ServiceAccountRequest>(ZenMlApi.Json);
        ZenMlApiKeys.Map(api);
    }

    public static async Task<User> FindAsync(string nameOrId, UserRepository users, HttpContext http)
    {
        var id = Guid.TryParse(nameOrId, out var parsed) ? parsed : await users.FindIdAsync(nameOrId, http.RequestAborted);
        var user = id is { } found ? await users.GetAsync(found, http.RequestAborted) : null;
        return user is { IsServiceAccount: true } ? user : throw ZenMlException.NotFound($"Service account not found: {nameOrId}");
    }

    public static JsonObject Render(HttpContext http, User u) =>
        ZenMlView.Of(http).Entity(new { id = u.Id, name = u.Name, active = !u.Deactivated, created = u.CreatedAt },
            new AccountBody(u.CreatedAt, u.CreatedAt, !u.Deactivated, u.FullName ?? "", null), new AccountMetadata(""), new JsonObject());
}
