using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

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

    private sealed record StackBody(DateTime Created, DateTime Updated, Guid? UserId);

    private sealed record StackMetadata(
        Dictionary<string, List<JsonObject>> Components, string? Description, Dictionary<string, string> Environment, List<string> Secrets,
        Dictionary<string, string> Labels);

    private sealed record ComponentBody(DateTime Created, DateTime Updated, Guid? UserId, string Type, string FlavorName, string? Integration, string? LogoUrl);

    private sealed record ComponentMetadata(JsonElement? Configuration, Dictionary<string, string> Environment, List<string> Secrets, Dictionary<string, string> Labels);

    private sealed record ComponentRequest(string? Name, string? Type, string? Flavor, JsonElement? Configuration);

    private sealed record ComponentOut(Guid Id, string Name, string Type, string Flavor, JsonElement? Configuration, DateTime Created);

    private static readonly FieldFilters<Stack> StackFields = new FieldFilters<Stack>()
        .Add("id", s => s.Id).Add("name", s => s.Name).Add("description", s => s.Description).Add("user_id", s => s.UserId)
        .Add("created", s => s.CreatedAt).Add("updated", s => s.LastUpdate);

    private static readonly FieldFilters<StackComponent> ComponentFields = new FieldFilters<StackComponent>()
        .Add("id", c => c.Id).Add("name", c => c.Name).Add("type", c => c.Type).Add("flavor", c => c.Flavor)
        .Add("user_id", c => c.UserId).Add("created", c => c.CreatedAt).Add("updated", c => c.LastUpdate);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/stacks", async (HttpContext http, ReadSide reads) =>
        {
            var stacks = await reads.GetAsync<StackRepository>(http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return await ZenMlApi.PageAsync(http, stacks.Stacks, StackFields, s => s.Id, s => Render(http, s));
        });
        api.MapPost("/stacks", async (HttpContext http, StackRepository stacks) =>
        {
            var body = await ZenMlApi.ReadAsync<StackRequest>(http);
            ZenMlApi.Required(body.Name, "name");
            return ZenMlApi.Created(await RenderLoadedAsync(http, await stacks.CreateStackAsync(Draft(body), ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<StackRequest>(ZenMlApi.Json);
        api.MapGet("/stacks/{stack_id}", async (string stack_id, HttpContext http, StackRepository stacks) =>
            await RenderLoadedAsync(http, await stacks.GetStackAsync(ZenMlApi.PathId(stack_id, "stack_id"), http.RequestAborted)));
        api.MapPut("/stacks/{stack_id}", async (string stack_id, HttpContext http, StackRepository stacks) =>
        {
            var id = ZenMlApi.PathId(stack_id, "stack_id");
            return await RenderLoadedAsync(http, await stacks.UpdateStackAsync(id, Draft(await ZenMlApi.ReadAsync<StackRequest>(http)), http.RequestAborted));
        }).Documents<StackRequest>(ZenMlApi.Json);
        api.MapDelete("/stacks/{stack_id}", async (string stack_id, HttpContext http, StackRepository stacks) =>
        {
            await stacks.DeleteStackAsync(ZenMlApi.PathId(stack_id, "stack_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/components", async (HttpContext http, ReadSide reads) =>
        {
            var stacks = await reads.GetAsync<StackRepository>(http.RequestAborted);
            return await ZenMlApi.PageAsync(http, stacks.Components, ComponentFields, c => c.Id, c => Render(http, c));
        });
        api.MapPost("/components", async (HttpContext http, StackRepository stacks) =>
        {
            var body = await ZenMlApi.ReadAsync<ComponentRequest>(http);
            var draft = new ComponentDraft(ZenMlApi.Required(body.Name, "name"),
                ZenMlApi.OneOf(ZenMlApi.Required(body.Type, "type"), "type", ComponentTypes), ZenMlApi.Required(body.Flavor, "flavor"),
                ZenMlApi.JsonText(body.Configuration, "configuration"));
            return ZenMlApi.Created(Render(http, await stacks.CreateComponentAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<ComponentRequest>(ZenMlApi.Json);
        api.MapGet("/components/{component_id}", async (string component_id, HttpContext http, StackRepository stacks) =>
            Render(http, await stacks.GetComponentAsync(ZenMlApi.PathId(component_id, "component_id"), http.RequestAborted)));
        api.MapPut("/components/{component_id}", async (string component_id, HttpContext http, StackRepository stacks) =>
        {
            var id = ZenMlApi.PathId(component_id, "component_id");
            var body = await ZenMlApi.ReadAsync<ComponentRequest>(http);
            if (body.Type is not null)
            {
                throw ZenMlException.Invalid("the type of a component cannot change", "body", "type");
            }
            var draft = new ComponentDraft(body.Name, null, body.Flavor, ZenMlApi.JsonText(body.Configuration, "configuration"));
            return Render(http, await stacks.UpdateComponentAsync(id, draft, http.RequestAborted));
        }).Documents<ComponentRequest>(ZenMlApi.Json);
        api.MapDelete("/components/{component_id}", async (string component_id, HttpContext http, StackRepository stacks) =>
        {
            await stacks.DeleteComponentAsync(ZenMlApi.PathId(component_id, "component_id"), http.RequestAborted);
            return Results.NoContent();
        });
        ZenMlConnectors.Map(api);
    }

    private static StackDraft Draft(StackRequest body)
    {
        foreach (var type in body.Components?.Keys.ToList() ?? [])
        {
            ZenMlApi.OneOf(type, "components", ComponentTypes);
        }
        return new StackDraft(body.Name, body.Description, body.Components);
    }

    /// <summary>A stack as another entity's <c>resources.stack</c>: its body, no metadata.</summary>
    public static JsonObject Nested(HttpContext http, Stack s)
    {
        var stack = ZenMlView.Node(new { id = s.Id, name = s.Name });
        stack["body"] = ZenMlView.Node(new StackBody(s.CreatedAt, s.LastUpdate, s.UserId));
        stack["resources"] = ZenMlView.Of(http).Resources(s.UserId);
        return stack;
    }

    private static async Task<JsonObject> RenderLoadedAsync(HttpContext http, Stack s)
    {
        await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
        return Render(http, s);
    }

    private static JsonObject Render(HttpContext http, Stack s)
    {
        var view = ZenMlView.Of(http);
        var components = StackRepository.ReadComponents(s);
        var members = components.ToDictionary(
            c => c.Key, c => c.Value.Select(id => view.Components.TryGetValue(id, out var member) ? Render(http, member, nested: true) : null).OfType<JsonObject>().ToList());
        return view.Entity(new StackOut(s.Id, s.Name, s.Description, components, s.UserId, s.CreatedAt),
            new StackBody(s.CreatedAt, s.LastUpdate, s.UserId), new StackMetadata(members, s.Description, [], [], []), view.Resources(s.UserId));
    }

    private static JsonObject Render(HttpContext http, StackComponent c) => Render(http, c, nested: false);

    /// <summary>A component; inside a stack's metadata it comes with its body and configuration, as ZenML nests it.</summary>
    private static JsonObject Render(HttpContext http, StackComponent c, bool nested)
    {
        var view = ZenMlView.Of(http);
        var flavor = ZenMlFlavors.Find(c.Type, c.Flavor);
        var component = view.Entity(new ComponentOut(c.Id, c.Name, c.Type, c.Flavor, ZenMlApi.JsonObject(c.Configuration), c.CreatedAt),
            new ComponentBody(c.CreatedAt, c.LastUpdate, c.UserId, c.Type, c.Flavor, flavor?.Integration, flavor?.LogoUrl),
            new ComponentMetadata(ZenMlApi.JsonObject(c.Configuration), [], [], []),
            view.Resources(c.UserId, new { flavor = ZenMlFlavors.Render(http, flavor ?? ZenMlFlavors.Custom(c.Type, c.Flavor)) }));
        if (nested)
        {
            component["metadata"] ??= ZenMlView.Node(new ComponentMetadata(ZenMlApi.JsonObject(c.Configuration), [], [], []));
        }
        return component;
    }
}
