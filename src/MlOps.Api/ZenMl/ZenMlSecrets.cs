using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>Secrets: values are encrypted at rest and only shown when one secret is read, never in a listing.</summary>
public static class ZenMlSecrets
{
    private static readonly string[] Scopes = ["workspace", "user"];

    private sealed record SecretRequest(string? Name, string? Scope, bool? Private, Dictionary<string, string?>? Values);

    private sealed record SecretOut(Guid Id, string Name, string Scope, Dictionary<string, string>? Values, DateTime Created);

    private sealed record SecretBody(DateTime Created, DateTime Updated, Guid? UserId, bool Private, Dictionary<string, string> Values);

    private static readonly FieldFilters<Secret> Fields = new FieldFilters<Secret>()
        .Add("id", s => s.Id).Add("name", s => s.Name).Add("user_id", s => s.UserId)
        .Add("scope", s => s.Scope, scope => Scopes.Contains(scope) ? scope : null)
        .Add("private", s => s.Scope == SecretScope.User).Add("user", s => s.UserId)
        .Add("created", s => s.CreatedAt).Add("updated", s => s.LastUpdate);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/secrets", (HttpContext http, SecretRepository secrets) =>
            ZenMlApi.PageAsync(http, secrets.Visible(ZenMlApi.Caller(http).UserId), Fields, s => s.Id, s => Render(http, s, null)));
        api.MapPost("/secrets", async (HttpContext http, SecretRepository secrets) =>
        {
            var body = await ZenMlApi.ReadAsync<SecretRequest>(http);
            ZenMlApi.Required(body.Name, "name");
            var values = ZenMlApi.Required(body.Values, "values");
            if (values.Any(v => v.Value is null))
            {
                throw ZenMlException.Invalid("none is not an allowed value", "body", "values");
            }
            var created = await secrets.CreateAsync(body.Name, Scope(body.Scope) ?? (body.Private == true ? SecretScope.User : SecretScope.Workspace),
                values.ToDictionary(v => v.Key, v => v.Value!), ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return ZenMlApi.Created(Render(http, created.Secret, created.Values));
        }).Documents<SecretRequest>(ZenMlApi.Json);
        api.MapGet("/secrets/{secret_id}", async (string secret_id, HttpContext http, SecretRepository secrets) =>
        {
            var view = await secrets.GetAsync(ZenMlApi.PathId(secret_id, "secret_id"), ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return Render(http, view.Secret, view.Values);
        });
        api.MapPut("/secrets/{secret_id}", async (string secret_id, HttpContext http, SecretRepository secrets) =>
        {
            var id = ZenMlApi.PathId(secret_id, "secret_id");
            var body = await ZenMlApi.ReadAsync<SecretRequest>(http);
            var view = await secrets.UpdateAsync(id, body.Name, Scope(body.Scope), body.Values, ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return Render(http, view.Secret, view.Values);
        }).Documents<SecretRequest>(ZenMlApi.Json);
        api.MapDelete("/secrets/{secret_id}", async (string secret_id, HttpContext http, SecretRepository secrets) =>
        {
            await secrets.DeleteAsync(ZenMlApi.PathId(secret_id, "secret_id"), ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static SecretScope? Scope(string? scope) => ZenMlApi.OneOf(scope, "scope", Scopes) switch
    {
        null => null,
        "user" => SecretScope.User,
        _ => SecretScope.Workspace,
    };

    /// <summary>ZenML's secret: <c>body.private</c> for a user-scoped one, the values only when one secret is read.</summary>
    private static JsonObject Render(HttpContext http, Secret s, Dictionary<string, string>? values)
    {
        var view = ZenMlView.Of(http);
        return view.Entity(new SecretOut(s.Id, s.Name, s.Scope == SecretScope.User ? "user" : "workspace", values, s.CreatedAt),
            new SecretBody(s.CreatedAt, s.LastUpdate, s.UserId, s.Scope == SecretScope.User, values ?? []), new { }, view.Resources(s.UserId));
    }
}
