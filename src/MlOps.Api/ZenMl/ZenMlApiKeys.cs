using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// A service account's API keys, as the dashboard's service account page manages them: listed by name and date, issued
/// (the key shown once), renamed, switched off and on, rotated (the new key shown once) and removed. Only an admin
/// changes them; a key switched off, rotated or removed stops working on this replica at once (on others within the
/// credential cache's lifetime).
/// </summary>
public static class ZenMlApiKeys
{
    private sealed record ApiKeyRequest(string? Name, string? Description);

    private sealed record ApiKeyUpdate(string? Name, string? Description, bool? Active);

    private sealed record ApiKeyRotateRequest(int? RetainPeriodMinutes);

    private sealed record ApiKeyBody(DateTime Created, DateTime Updated, string? Key, bool Active, JsonObject ServiceAccount);

    private sealed record ApiKeyMetadata(string Description, int RetainPeriodMinutes, DateTime? LastLogin, DateTime? LastRotated);

    private const string Keys = "/service_accounts/{service_account_id}/api_keys";
    private const string Key = Keys + "/{api_key_name_or_id}";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet(Keys, async (string service_account_id, HttpContext http, UserRepository users) =>
        {
            var account = await ZenMlServiceAccounts.FindAsync(service_account_id, users, http);
            var keys = await users.ApiKeysAsync(account.Id, http.RequestAborted);
            return ZenMlApi.StaticPage(http, keys, key => Render(http, account, key));
        });
        api.MapPost(Keys, async (string service_account_id, HttpContext http, UserRepository users) =>
        {
            ZenMlApi.RequireAdmin(http);
            var body = await ZenMlApi.ReadAsync<ApiKeyRequest>(http);
            var name = NonBlank(ZenMlApi.Required(body.Name, "name"), "name");
            var account = await ZenMlServiceAccounts.FindAsync(service_account_id, users, http);
            var (key, secret) = await users.IssueApiKeyAsync(account.Id, name, http.RequestAborted);
            return ZenMlApi.Created(Render(http, account, key, secret));
        }).Documents<ApiKeyRequest>(ZenMlApi.Json);
        api.MapGet(Key, async (string service_account_id, string api_key_name_or_id, HttpContext http, UserRepository users) =>
        {
            var account = await ZenMlServiceAccounts.FindAsync(service_account_id, users, http);
            return Render(http, account, await FindAsync(users, account, api_key_name_or_id, http));
        });
        api.MapPut(Key, async (string service_account_id, string api_key_name_or_id, HttpContext http, UserRepository users, ApiKeyCache cache) =>
        {
            ZenMlApi.RequireAdmin(http);
            var body = await ZenMlApi.ReadAsync<ApiKeyUpdate>(http);
            var name = body.Name is null ? null : NonBlank(body.Name, "name");
            var account = await ZenMlServiceAccounts.FindAsync(service_account_id, users, http);
            var key = await FindAsync(users, account, api_key_name_or_id, http);
            var updated = await users.UpdateApiKeyAsync(account.Id, key.Id, name, body.Active, http.RequestAborted);
            cache.Forget(account.Id);
            return Render(http, account, updated);
        }).Documents<ApiKeyUpdate>(ZenMlApi.Json);
        api.MapPut(Key + "/rotate", async (string service_account_id, string api_key_name_or_id, HttpContext http, UserRepository users, ApiKeyCache cache) =>
        {
            ZenMlApi.RequireAdmin(http);
            var body = await ZenMlApi.ReadAsync<ApiKeyRotateRequest>(http);
            if (body.RetainPeriodMinutes is < 0)
            {
                throw ZenMlException.Invalid("ensure this value is greater than or equal to 0", "body", "retain_period_minutes");
            }
            var account = await ZenMlServiceAccounts.FindAsync(service_account_id, users, http);
            var key = await FindAsync(users, account, api_key_name_or_id, http);
            var (rotated, secret) = await users.RotateApiKeyAsync(account.Id, key.Id, http.RequestAborted);
            cache.Forget(account.Id);
            return Render(http, account, rotated, secret);
        }).Documents<ApiKeyRotateRequest>(ZenMlApi.Json);
        api.MapDelete(Key, async (string service_account_id, string api_key_name_or_id, HttpContext http, UserRepository users, ApiKeyCache cache) =>
        {
            ZenMlApi.RequireAdmin(http);
            var account = await ZenMlServiceAccounts.FindAsync(service_account_id, users, http);
            var key = await FindAsync(users, account, api_key_name_or_id, http);
            await users.DeleteApiKeyAsync(account.Id, key.Id, http.RequestAborted);
            cache.Forget(account.Id);
            return Results.NoContent();
        });
    }

    /// <summary>One of the account's keys by id or name (an unnamed key, as issued to Comet's service accounts, is "default").</summary>
    private static async Task<Credential> FindAsync(UserRepository users, User account, string idOrName, HttpContext http)
    {
        var id = Guid.TryParse(idOrName, out var parsed) ? parsed : (Guid?)null;
        return (await users.ApiKeysAsync(account.Id, http.RequestAborted)).FirstOrDefault(k => k.Id == id || Name(k) == idOrName)
            ?? throw ZenMlException.NotFound($"API key not found: {idOrName}");
    }

    private static string Name(Credential key) => key.Label ?? "default";

    private static string NonBlank(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw ZenMlException.Invalid("ensure this value has at least 1 characters", "body", field) : value.Trim();

    /// <summary>A key in ZenML's shape; <paramref name="secret"/> (<c>body.key</c>) only when it was just issued or rotated.</summary>
    private static JsonObject Render(HttpContext http, User account, Credential key, string? secret = null)
    {
        var active = UserRepository.IsActive(key);
        return ZenMlView.Of(http).Entity(new { id = key.Id, name = Name(key), created = key.CreatedAt, active },
            new ApiKeyBody(key.CreatedAt, key.CreatedAt, secret, active, ZenMlServiceAccounts.Render(http, account)),
            new ApiKeyMetadata("", 0, null, null), new JsonObject());
    }
}
