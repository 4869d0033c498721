using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>Annotation filters: named annotation searches saved in an app, kept as written and answered back.</summary>
public static class ClarifaiAnnotationFilters
{
    /// <summary>The body <see cref="Create"/> reads, for the Swagger document; a search is kept as written.</summary>
    public sealed record PostAnnotationFiltersRequest(IReadOnlyList<PostAnnotationFiltersRequest.AnnotationFilter> AnnotationFilters)
    {
        public sealed record AnnotationFilter(string? Id, string? Name, Dictionary<string, JsonElement>? Search);
    }

    /// <summary>The body <see cref="Patch"/> reads, for the Swagger document: <c>action</c> is overwrite.</summary>
    public sealed record PatchAnnotationFiltersRequest(string? Action, IReadOnlyList<PostAnnotationFiltersRequest.AnnotationFilter> AnnotationFilters);

    public static readonly ClarifaiOperation[] Operations =
    [
        new("PostAnnotationFilters", Create, new ClarifaiRoute("POST", "/annotation_filters", typeof(PostAnnotationFiltersRequest))),
        new("ListAnnotationFilters", List, new ClarifaiRoute("GET", "/annotation_filters")),
        new("PatchAnnotationFilters", Patch, new ClarifaiRoute("PATCH", "/annotation_filters", typeof(PatchAnnotationFiltersRequest))),
        new("DeleteAnnotationFilters", Delete, new ClarifaiRoute("DELETE", "/annotation_filters")),
        new("GetAnnotationFilter", Get, new ClarifaiRoute("GET", "/annotation_filters/{annotation_filter_id}")),
    ];

    public static async Task<ClarifaiReply> Create(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var app = call.App;
        var user = call.Caller.UserName;
        var filters = Items(call.Request).Select(item => new AnnotationFilter
        {
            ProjectId = app.Id,
            Id = ClarifaiJson.Text(item, "id") is { Length: > 0 } id ? id : Guid.NewGuid().ToString("N"),
            Name = ClarifaiJson.Text(item, "name"),
            Search = (ClarifaiJson.Object(item, "search") ?? throw ClarifaiException.Invalid("every annotation filter needs a search")).ToJsonString(),
            UserId = user,
        }).ToList();
        await store.AddFiltersAsync(filters, ct);
        return Reply(filters, app);
    }

    public static async Task<ClarifaiReply> Get(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var app = call.App;
        return ClarifaiReply.Ok(new JsonObject { ["annotation_filter"] = Render(await store.GetFilterAsync(app.Id, call.Text("annotation_filter_id") ?? "", ct), app) });
    }

    public static async Task<ClarifaiReply> List(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var app = call.App;
        var (page, perPage) = call.Paging();
        return Reply(await store.ListFiltersAsync(app.Id, page, perPage, ct), app);
    }

    /// <summary>With <c>action: overwrite</c> (the only one filters take), replaces each named filter's name and search.</summary>
    public static async Task<ClarifaiReply> Patch(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var app = call.App;
        var body = call.Request;
        if (ClarifaiJson.Text(body, "action") is not (null or "overwrite"))
        {
            throw ClarifaiException.Invalid("action must be overwrite");
        }
        var changes = Items(body).Select(item => (
            ClarifaiJson.Text(item, "id") ?? throw ClarifaiException.Invalid("every annotation filter needs an id"),
            ClarifaiJson.Text(item, "name"),
            ClarifaiJson.Object(item, "search")?.ToJsonString())).ToList();
        return Reply(await store.UpdateFiltersAsync(app.Id, changes, ct), app);
    }

    /// <summary>Deletes the filters named in <c>annotation_filter_ids</c> (or <c>ids</c>); all or none.</summary>
    public static async Task<ClarifaiReply> Delete(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var body = call.Request;
        var ids = ClarifaiJson.Ids(body, "annotation_filter_ids") is { Count: > 0 } named ? named : ClarifaiJson.Ids(body, "ids");
        if (ids.Count == 0)
        {
            throw ClarifaiException.Invalid("annotation_filter_ids must name at least one filter");
        }
        await store.DeleteFiltersAsync(call.App.Id, ids, ct);
        return ClarifaiReply.Ok([]);
    }

    private static List<JsonObject> Items(JsonObject body)
    {
        var items = ClarifaiJson.List(body, "annotation_filters");
        return items.Count == 0
            ? throw ClarifaiException.Invalid("annotation_filters must not be empty")
            : [.. items.Select(i => i as JsonObject ?? throw ClarifaiException.Invalid("every annotation filter must be an object"))];
    }

    private static ClarifaiReply Reply(IEnumerable<AnnotationFilter> filters, Project app) =>
        ClarifaiReply.Ok(new JsonObject { ["annotation_filters"] = new JsonArray([.. filters.Select(f => (JsonNode)Render(f, app))]) });

    private static JsonObject Render(AnnotationFilter f, Project app)
    {
        var rendered = new JsonObject
        {
            ["id"] = f.Id,
            ["created_at"] = ClarifaiJson.Timestamp(f.CreatedAt),
            ["modified_at"] = ClarifaiJson.Timestamp(f.ModifiedAt),
            ["user_id"] = f.UserId,
            ["app_id"] = app.Name,
            ["search"] = JsonNode.Parse(f.Search),
        };
        if (f.Name is not null)
        {
            rendered["name"] = f.Name;
        }
        return rendered;
    }
}
