using System.Text.Json;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>Stacks, stack components and service connectors.</summary>
public static class ZenMlStacks
{
    private static readonly string[] ComponentTypes =
    [
        "orchestrator", "artifact_store", "container_registry", "step_operator", "experiment_tracker", "model_deployer",
        "alerter", "annotator", "data_validator", "feature_store", "image_builder", "model_registry",
    ];

    private sealed record StackRequest(string? Name, string? Description, Dictionary<string, List<Guid>>? Components);

    private sealed record StackOut(Guid Id, string Name, string? Description, Dictionary<string, List<Guid>> Components, Guid? UserId, DateTime Created);

    private sealed record ComponentRequest(string? Name, string? Type, string? Flavor, JsonElement? Configuration);

    private sealed record ComponentOut(Guid Id, string Name, string Type, string Flavor, JsonElement? Configuration, DateTime Created);

    private sealed record ServiceConnectorRequest(string? Name, string? ConnectorType, string? AuthMethod, List<string>? ResourceTypes, JsonElement? Configuration);

    private sealed record ConnectorOut(
        Guid Id, string Name, string ConnectorType, string AuthMethod, List<string> ResourceTypes, JsonElement? Configuration, DateTime Created);

    private static readonly FieldFilters<Stack> StackFields = new FieldFilters<Stack>()
        .Add("id", s => s.Id).Add("name", s => s.Name).Add("description", s => s.Description).Add("user_id", s => s.UserId)
        .Add("created", s => s.CreatedAt).Add("updated", s => s.LastUpdate);

    private static readonly FieldFilters<StackComponent> ComponentFields = new FieldFilters<StackComponent>()
        .Add("id", c => c.Id).Add("name", c => c.Name).Add("type", c => c.Type).Add("flavor", c => c.Flavor)
        .Add("user_id", c => c.UserId).Add("created", c => c.CreatedAt).Add("updated", c => c.LastUpdate);

    private static readonly FieldFilters<ServiceConnector> ConnectorFields = new FieldFilters<ServiceConnector>()
        .Add("id", c => c.Id).Add("name", c => c.Name).Add("connector_type", c => c.ConnectorType).Add("auth_method", c => c.AuthMethod)
        .Add("user_id", c => c.UserId).Add("created", c => c.CreatedAt).Add("updated", c => c.LastUpdate);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/stacks", (HttpContext http, StackRepository stacks) =>
            ZenMlApi.PageAsync(http, stacks.Stacks, StackFields, s => s.Id, Render));
        api.MapPost("/stacks", async (HttpContext http, StackRepository stacks) =>
        {
            var body = await ZenMlApi.ReadAsync<StackRequest>(http);
            ZenMlApi.Required(body.Name, "name");
            return ZenMlApi.Created(Render(await stacks.CreateStackAsync(Draft(body), ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<StackRequest>(ZenMlApi.Json);
        api.MapGet("/stacks/{stack_id}", async (string stack_id, HttpContext http, StackRepository stacks) =>
            Render(await stacks.GetStackAsync(ZenMlApi.PathId(stack_id, "stack_id"), http.RequestAborted)));
        api.MapPut("/stacks/{stack_id}", async (string stack_id, HttpContext http, StackRepository stacks) =>
        {
            var id = ZenMlApi.PathId(stack_id, "stack_id");
            return Render(await stacks.UpdateStackAsync(id, Draft(await ZenMlApi.ReadAsync<StackRequest>(http)), http.RequestAborted));
        }).Documents<StackRequest>(ZenMlApi.Json);
        api.MapDelete("/stacks/{stack_id}", async (string stack_id, HttpContext http, StackRepository stacks) =>
        {
            await stacks.DeleteStackAsync(ZenMlApi.PathId(stack_id, "stack_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/components", (HttpContext http, StackRepository stacks) =>
            ZenMlApi.PageAsync(http, stacks.Components, ComponentFields, c => c.Id, Render));
        api.MapPost("/components", async (HttpContext http, StackRepository stacks) =>
        {
            var body = await ZenMlApi.ReadAsync<ComponentRequest>(http);
            var draft = new ComponentDraft(ZenMlApi.Required(body.Name, "name"),
                ZenMlApi.OneOf(ZenMlApi.Required(body.Type, "type"), "type", ComponentTypes), ZenMlApi.Required(body.Flavor, "flavor"),
                ZenMlApi.JsonText(body.Configuration, "configuration"));
            return ZenMlApi.Created(Render(await stacks.CreateComponentAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<ComponentRequest>(ZenMlApi.Json);
        api.MapGet("/components/{component_id}", async (string component_id, HttpContext http, StackRepository stacks) =>
            Render(await stacks.GetComponentAsync(ZenMlApi.PathId(component_id, "component_id"), http.RequestAborted)));
        api.MapPut("/components/{component_id}", async (string component_id, HttpContext http, StackRepository stacks) =>
        {
            var id = ZenMlApi.PathId(component_id, "component_id");
            var body = await ZenMlApi.ReadAsync<ComponentRequest>(http);
            if (body.Type is not null)
            {
                throw ZenMlException.Invalid("the type of a component cannot change", "body", "type");
            }
            var draft = new ComponentDraft(body.Name, null, body.Flavor, ZenMlApi.JsonText(body.Configuration, "configuration"));
            return Render(await stacks.UpdateComponentAsync(id, draft, http.RequestAborted));
        }).Documents<ComponentRequest>(ZenMlApi.Json);
        api.MapDelete("/components/{component_id}", async (string component_id, HttpContext http, StackRepository stacks) =>
        {
            await stacks.DeleteComponentAsync(ZenMlApi.PathId(component_id, "component_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/service_connectors", (HttpContext http, StackRepository stacks) =>
            ZenMlApi.PageAsync(http, stacks.Connectors, ConnectorFields, c => c.Id, Render));
        api.MapPost("/service_connectors", async (HttpContext http, StackRepository stacks) =>
        {
            var body = await ZenMlApi.ReadAsync<ServiceConnectorRequest>(http);
            ZenMlApi.Required(body.Name, "name");
            ZenMlApi.Required(body.ConnectorType, "connector_type");
            ZenMlApi.Required(body.AuthMethod, "auth_method");
            return ZenMlApi.Created(Render(await stacks.CreateConnectorAsync(Draft(body), ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<ServiceConnectorRequest>(ZenMlApi.Json);
        api.MapGet("/service_connectors/{connector_id}", async (string connector_id, HttpContext http, StackRepository stacks) =>
            Render(await stacks.GetConnectorAsync(ZenMlApi.PathId(connector_id, "connector_id"), http.RequestAborted)));
        api.MapPut("/service_connectors/{connector_id}", async (string connector_id, HttpContext http, StackRepository stacks) =>
        {
            var id = ZenMlApi.PathId(connector_id, "connector_id");
            return Render(await stacks.UpdateConnectorAsync(id, Draft(await ZenMlApi.ReadAsync<ServiceConnectorRequest>(http)), http.RequestAborted));
        }).Documents<ServiceConnectorRequest>(ZenMlApi.Json);
        api.MapDelete("/service_connectors/{connector_id}", async (string connector_id, HttpContext http, StackRepository stacks) =>
        {
            await stacks.DeleteConnectorAsync(ZenMlApi.PathId(connector_id, "connector_id"), http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static StackDraft Draft(StackRequest body)
    {
        foreach (var type in body.Components?.Keys.ToList() ?? [])
        {
            ZenMlApi.OneOf(type, "components", ComponentTypes);
        }
        return new StackDraft(body.Name, body.Description, body.Components);
    }

    private static ConnectorDraft Draft(ServiceConnectorRequest body) =>
        new(body.Name, body.ConnectorType, body.AuthMethod, body.ResourceTypes, ZenMlApi.JsonText(body.Configuration, "configuration"));

    private static object Render(Stack s) => new StackOut(s.Id, s.Name, s.Description, StackRepository.ReadComponents(s), s.UserId, s.CreatedAt);

    private static object Render(StackComponent c) => new ComponentOut(c.Id, c.Name, c.Type, c.Flavor, ZenMlApi.JsonObject(c.Configuration), c.CreatedAt);

    private static object Render(ServiceConnector c) =>
        new ConnectorOut(c.Id, c.Name, c.ConnectorType, c.AuthMethod, c.ResourceTypes, ZenMlApi.JsonObject(c.Configuration), c.CreatedAt);
}
