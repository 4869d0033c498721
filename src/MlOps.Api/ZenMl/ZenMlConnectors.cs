using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ZenMl;

/// <summary>Service connectors: how stack components reach cloud resources (type, auth method, resource types, configuration).</summary>
public static class ZenMlConnectors
{
    private sealed record ServiceConnectorRequest(
        string? Name, string? Description, string? ConnectorType, string? AuthMethod, List<string>? ResourceTypes, JsonElement? Configuration);

    private sealed record ConnectorOut(
        Guid Id, string Name, string ConnectorType, string AuthMethod, List<string> ResourceTypes, JsonElement? Configuration, DateTime Created);

    private sealed record ConnectorBody(
        DateTime Created, DateTime Updated, Guid? UserId, string Description, string ConnectorType, string AuthMethod, List<string> ResourceTypes,
        string? ResourceId, bool SupportsInstances);

    private sealed record ConnectorMetadata(JsonElement? Configuration, Dictionary<string, string> Labels);

    private static readonly FieldFilters<ServiceConnector> ConnectorFields = new FieldFilters<ServiceConnector>()
        .Add("id", c => c.Id).Add("name", c => c.Name).Add("connector_type", c => c.ConnectorType).Add("auth_method", c => c.AuthMethod)
        .Add("user_id", c => c.UserId).Add("user", c => c.UserId).Add("created", c => c.CreatedAt).Add("updated", c => c.LastUpdate);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/service_connector_types", (HttpContext http) =>
        {
            var query = http.Request.Query;
            string? Filter(string name) => query[name].ToString() is { Length: > 0 } value ? value : null;
            return Results.Json(ZenMlConnectorTypes.Matching(Filter("connector_type"), Filter("resource_type"), Filter("auth_method")).ToList(), ZenMlApi.Json);
        });
        api.MapGet("/service_connector_types/{connector_type}", (string connector_type) =>
            Results.Json(ZenMlConnectorTypes.Find(connector_type) ?? throw ZenMlException.NotFound(ZenMlConnectorTypes.NotAvailable(connector_type)), ZenMlApi.Json));
        api.MapGet("/service_connectors", async (HttpContext http, ReadSide reads) =>
        {
            var stacks = await reads.GetAsync<StackRepository>(http.RequestAborted);
            return await ZenMlApi.PageAsync(http, stacks.Connectors, ConnectorFields, c => c.Id, c => Render(http, c));
        });
        api.MapPost("/service_connectors", async (HttpContext http, StackRepository stacks) =>
        {
            var body = await ZenMlApi.ReadAsync<ServiceConnectorRequest>(http);
            ZenMlApi.Required(body.Name, "name");
            ZenMlApi.Required(body.ConnectorType, "connector_type");
            ZenMlApi.Required(body.AuthMethod, "auth_method");
            return ZenMlApi.Created(Render(http, await stacks.CreateConnectorAsync(Draft(body), ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<ServiceConnectorRequest>(ZenMlApi.Json);
        api.MapPost("/service_connectors/verify", async (HttpContext http) =>
        {
            var body = await ZenMlApi.ReadAsync<ServiceConnectorRequest>(http);
            return Results.Json(ZenMlConnectorVerification.Verify(ZenMlApi.Required(body.ConnectorType, "connector_type"),
                ZenMlApi.Required(body.AuthMethod, "auth_method"), body.ResourceTypes, body.Configuration), ZenMlApi.Json);
        }).Documents<ServiceConnectorRequest>(ZenMlApi.Json);
        api.MapGet("/service_connectors/{connector_id}", async (string connector_id, HttpContext http, StackRepository stacks) =>
            Render(http, await stacks.GetConnectorAsync(ZenMlApi.PathId(connector_id, "connector_id"), http.RequestAborted)));
        api.MapPut("/service_connectors/{connector_id}", async (string connector_id, HttpContext http, StackRepository stacks) =>
        {
            var id = ZenMlApi.PathId(connector_id, "connector_id");
            return Render(http, await stacks.UpdateConnectorAsync(id, Draft(await ZenMlApi.ReadAsync<ServiceConnectorRequest>(http)), http.RequestAborted));
        }).Documents<ServiceConnectorRequest>(ZenMlApi.Json);
        api.MapDelete("/service_connectors/{connector_id}", async (string connector_id, HttpContext http, StackRepository stacks) =>
        {
            await stacks.DeleteConnectorAsync(ZenMlApi.PathId(connector_id, "connector_id"), http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static ConnectorDraft Draft(ServiceConnectorRequest body) =>
        new(body.Name, body.ConnectorType, body.AuthMethod, body.ResourceTypes, ZenMlApi.JsonText(body.Configuration, "configuration"));

    private static JsonObject Render(HttpContext http, ServiceConnector c)
    {
        var view = ZenMlView.Of(http);
        return view.Entity(
            new ConnectorOut(c.Id, c.Name, c.ConnectorType, c.AuthMethod, c.ResourceTypes, ZenMlApi.JsonObject(c.Configuration), c.CreatedAt),
            new ConnectorBody(c.CreatedAt, c.LastUpdate, c.UserId, "", c.ConnectorType, c.AuthMethod, c.ResourceTypes, null, false),
            new ConnectorMetadata(ZenMlApi.JsonObject(c.Configuration), []), view.Resources(c.UserId));
    }
}
