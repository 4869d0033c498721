using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// How ZenML answers an entity: <c>{id, name, body: {created, updated, user_id, ...}, metadata: {...}, resources:
/// {user, ...}}</c>. <c>metadata</c> only comes with <c>hydrate=true</c>, which one entity's page defaults to and a
/// listing does not; <c>resources</c> always comes. The seed contract's flat fields stay beside them (its schemas allow
/// extra properties), so older clients read what they read before. One view per request, with the workspace's users
/// loaded once so every <c>resources.user</c> is a lookup.
/// </summary>
public sealed class ZenMlView
{
    private readonly Dictionary<Guid, User> _users;
    private readonly bool? _hydrateAsked;

    private ZenMlView(Dictionary<Guid, User> users, bool? hydrateAsked)
    {
        _users = users;
        _hydrateAsked = hydrateAsked;
    }

    /// <summary>Set while a listing renders its items: their metadata then only comes when asked for.</summary>
    public bool Listing { get; set; }

    public bool Hydrate => _hydrateAsked ?? !Listing;

    public static ZenMlView Of(HttpContext http) =>
        http.Items[typeof(ZenMlView)] as ZenMlView ?? throw new InvalidOperationException("the ZenML view was not prepared for this request");

    /// <summary>Run before every authenticated ZenML handler: reads <c>hydrate</c> and the caller's workspace users.</summary>
    public static async ValueTask PrepareAsync(HttpContext http)
    {
        var hydrate = http.Request.Query["hydrate"].ToString() switch
        {
            "" => (bool?)null,
            "true" or "True" or "1" => true,
            "false" or "False" or "0" => false,
            _ => throw ZenMlException.Invalid("value could not be parsed to a boolean", "query", "hydrate"),
        };
        var users = http.User.Identity?.IsAuthenticated == true
            ? await http.RequestServices.GetRequiredService<UserRepository>().Users.ToDictionaryAsync(u => u.Id, http.RequestAborted)
            : [];
        http.Items[typeof(ZenMlView)] = new ZenMlView(users, hydrate);
    }

    /// <summary>The entity in ZenML's shape, the seed's flat fields (<paramref name="flat"/>) kept at the top.</summary>
    public JsonObject Entity(object flat, object body, object? metadata, JsonObject resources)
    {
        var entity = Node(flat);
        entity["body"] = Node(body);
        if (Hydrate && metadata is not null)
        {
            entity["metadata"] = Node(metadata);
        }
        entity["resources"] = resources;
        return entity;
    }

    /// <summary><c>resources</c> naming the entity's user (as a nested user without metadata), plus <paramref name="extra"/>.</summary>
    public JsonObject Resources(Guid? userId, object? extra = null)
    {
        var resources = extra is null ? [] : Node(extra);
        resources["user"] = User(userId);
        return resources;
    }

    /// <summary>The workspace's pipelines, stacks and components, for the entities that name theirs in <c>resources</c>; loaded on first use.</summary>
    public Dictionary<Guid, Pipeline> Pipelines { get; private set; } = [];

    public Dictionary<Guid, Stack> Stacks { get; private set; } = [];

    public Dictionary<Guid, StackComponent> Components { get; private set; } = [];

    public async Task LoadPipelinesAndStacksAsync(HttpContext http)
    {
        Pipelines = await http.RequestServices.GetRequiredService<PipelineRepository>().Pipelines.ToDictionaryAsync(p => p.Id, http.RequestAborted);
        var stacks = http.RequestServices.GetRequiredService<StackRepository>();
        Stacks = await stacks.Stacks.ToDictionaryAsync(s => s.Id, http.RequestAborted);
        Components = await stacks.Components.ToDictionaryAsync(c => c.Id, http.RequestAborted);
    }

    public JsonObject? User(Guid? id) => id is { } key && _users.TryGetValue(key, out var user) ? ZenMlUsers.Nested(user) : null;

    public static JsonObject Node(object value) =>
        value as JsonObject ?? JsonSerializer.SerializeToNode(value, value.GetType(), ZenMlApi.Json)!.AsObject();
}
