using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// ZenML's tags: the names the workspace tagged its runs with through ZenML (or created here), each with the color and
/// exclusivity ZenML gives it. Deleting a tag takes it off every run.
/// </summary>
public static class ZenMlTagRoutes
{
    private static readonly string[] Colors = ["grey", "purple", "red", "green", "yellow", "orange", "lime", "teal", "turquoise", "magenta", "blue"];

    private sealed record TagRequest(string? Name, string? Color, bool? Exclusive);

    public sealed record StoredTag(string Name, string Color, bool Exclusive, DateTime Created, Guid? UserId);

    private sealed record TagBody(DateTime Created, DateTime Updated, Guid? UserId, string Color, bool Exclusive);

    private static readonly ZenMlCatalog<StoredTag> Catalog = new("tags");

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/tags", async (HttpContext http) =>
        {
            var name = http.Request.Query["name"].ToString();
            var tags = (await Catalog.ReadAsync(http)).Where(t => name.Length == 0 || NameMatches(t.Name, name)).ToList();
            return ZenMlApi.StaticPage(http, tags, t => Render(http, t));
        });
        api.MapPost("/tags", async (HttpContext http, TimeProvider clock) =>
        {
            var body = await ZenMlApi.ReadAsync<TagRequest>(http);
            var name = ZenMlTags.Names([ZenMlApi.Required(body.Name, "name")], "name")![0];
            var tag = new StoredTag(name, ZenMlApi.OneOf(body.Color, "color", Colors) ?? "grey", body.Exclusive ?? false,
                clock.GetUtcNow().UtcDateTime, ZenMlApi.Caller(http).UserId);
            await Catalog.UpdateAsync(http, tags => tags.Any(t => t.Name == name)
                ? throw new ZenMlException(409, "EntityExistsError", $"Unable to create tag {name}: a tag with this name already exists.")
                : [.. tags, tag]);
            return ZenMlApi.Created(Render(http, tag));
        }).Documents<TagRequest>(ZenMlApi.Json);
        api.MapGet("/tags/{tag_name_or_id}", async (string tag_name_or_id, HttpContext http) =>
            Render(http, Find(await Catalog.ReadAsync(http), tag_name_or_id)));
        api.MapDelete("/tags/{tag_name_or_id}", async (string tag_name_or_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var tag = Find(await Catalog.ReadAsync(http), tag_name_or_id);
            await pipelines.RemoveRunTagAsync(tag.Name, http.RequestAborted);
            await Catalog.UpdateAsync(http, tags => tags.Where(t => t.Name != tag.Name).ToList());
            return Results.NoContent();
        });
    }

    /// <summary>Adds the tags a run was just given to the workspace's tags (grey, not exclusive), as ZenML creates them on first use.</summary>
    public static async Task RegisterAsync(HttpContext http, IReadOnlyCollection<string>? names, DateTime now)
    {
        if (names is not { Count: > 0 })
        {
            return;
        }
        await Catalog.UpdateAsync(http, tags =>
            [.. tags, .. names.Where(n => tags.All(t => t.Name != n)).Select(n => new StoredTag(n, "grey", false, now, ZenMlApi.Caller(http).UserId))]);
    }

    private static StoredTag Find(List<StoredTag> tags, string nameOrId) =>
        tags.FirstOrDefault(t => t.Name == nameOrId || ZenMlTags.IdOf(t.Name).ToString() == nameOrId.ToLowerInvariant())
        ?? throw ZenMlException.NotFound($"Tag not found: {nameOrId}");

    private static bool NameMatches(string name, string filter) =>
        filter.StartsWith("contains:", StringComparison.Ordinal) ? name.Contains(filter["contains:".Length..], StringComparison.OrdinalIgnoreCase)
        : name == (filter.StartsWith("equals:", StringComparison.Ordinal) ? filter["equals:".Length..] : filter);

    private static JsonObject Render(HttpContext http, StoredTag t) =>
        ZenMlView.Of(http).Entity(new { id = ZenMlTags.IdOf(t.Name), name = t.Name },
            new TagBody(t.Created, t.Created, t.UserId, t.Color, t.Exclusive), new { }, ZenMlView.Of(http).Resources(t.UserId));
}
