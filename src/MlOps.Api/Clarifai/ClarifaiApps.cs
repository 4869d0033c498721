using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>
/// Apps: the projects of the caller's workspace, as Clarifai's SDK reads them when it opens an app
/// (<c>GET /v2/users/{user_id}/apps/{app_id}</c>, <c>GET /v2/apps</c>, <c>GET /v2/users/{user_id}/apps</c>). An app is
/// created by naming it (the <c>default</c> one) or as any surface's project.
/// </summary>
public static class ClarifaiApps
{
    public static readonly ClarifaiOperation[] Operations =
    [
        new("GetApp", Get, new ClarifaiRoute("GET", "", Forms: ClarifaiForms.App)),
        new("ListApps", List, new ClarifaiRoute("GET", "/apps", Forms: ClarifaiForms.Short | ClarifaiForms.User)),
    ];

    /// <summary>The app the request names (resolved like every other request's), or not found.</summary>
    public static Task<ClarifaiReply> Get(ClarifaiCall call) =>
        Task.FromResult(ClarifaiReply.Ok(new JsonObject { ["app"] = Render(call.App, call) }));

    /// <summary>The workspace's apps by name, a page at a time.</summary>
    public static async Task<ClarifaiReply> List(ClarifaiCall call)
    {
        var (page, perPage) = call.Paging();
        var projects = await call.Service<ProjectRepository>().QueryAsync(
            new ProjectQuery(OrderBy: [new SortKey("name", false)], Page: new Page((page - 1) * perPage, perPage)), call.Aborted);
        return ClarifaiReply.Ok(new JsonObject { ["apps"] = new JsonArray([.. projects.Select(p => (JsonNode)Render(p, call))]) });
    }

    private static JsonObject Render(Project app, ClarifaiCall call)
    {
        var rendered = new JsonObject
        {
            ["id"] = app.Name,
            ["name"] = app.Name,
            ["default_language"] = "en",
            ["user_id"] = call.Caller.UserName,
            ["created_at"] = ClarifaiJson.Timestamp(app.CreatedAt),
            ["modified_at"] = ClarifaiJson.Timestamp(app.LastUpdate),
        };
        if (app.Description is not null)
        {
            rendered["description"] = app.Description;
        }
        return rendered;
    }
}
