using MlOps.Api.Operations;

namespace MlOps.Api.ZenMl;

/// <summary>The flavor listing and one flavor by id, as the component and stack forms read them.</summary>
public static class ZenMlFlavorRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/flavors", (HttpContext http) =>
        {
            var query = http.Request.Query;
            var flavors = ZenMlFlavors.All.Where(f =>
                (query["type"].ToString() is not { Length: > 0 } type || f.Type == type)
                && (query["name"].ToString() is not { Length: > 0 } name || NameMatches(f.Name, name))).ToList();
            return ZenMlApi.StaticPage(http, flavors, f => ZenMlFlavors.Render(http, f));
        });
        api.MapGet("/flavors/{flavor_id}", (string flavor_id, HttpContext http) =>
        {
            var id = ZenMlApi.PathId(flavor_id, "flavor_id");
            return ZenMlFlavors.All.FirstOrDefault(f => f.Id == id) is { } flavor
                ? ZenMlFlavors.Render(http, flavor)
                : throw ZenMlException.NotFound($"Flavor not found: {flavor_id}");
        });
    }

    private static bool NameMatches(string name, string filter) =>
        filter.StartsWith("contains:", StringComparison.Ordinal) ? name.Contains(filter["contains:".Length..], StringComparison.OrdinalIgnoreCase)
        : name == (filter.StartsWith("equals:", StringComparison.Ordinal) ? filter["equals:".Length..] : filter);
}
