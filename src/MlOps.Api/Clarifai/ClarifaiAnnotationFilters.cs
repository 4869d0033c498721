using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
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

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/annotation_filters", Create).Documents<PostAnnotationFiltersRequest>(ClarifaiJson.Documented);
        group.MapGet("/annotation_filters", List);
        group.MapPatch("/annotation_filters", Patch).Documents<PatchAnnotationFiltersRequest>(ClarifaiJson.Documented);
        group.MapDelete("/annotation_filters", Delete);
        group.MapGet("/annotation_filters/{annotation_filter_id}", Get);
    }

    public static async Task<ClarifaiReply> Create(HttpContext http, AnnotationRepository store, CancellationToken ct)
    {
        var app = ClarifaiApi.App(http);
        var user = http.Caller().Identity.UserName;
        var filters = Items(await ClarifaiJson.ReadBodyAsync(http)).Select(item => new AnnotationFilter
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

    public static async Task<ClarifaiReply> Get(HttpContext http, string annotation_filter_id, AnnotationRepository store, CancellationToken ct)
    {
        var app = ClarifaiApi.App(http);
        return ClarifaiReply.Ok(new JsonObject { ["annotation_filter"] = Render(await store.GetFilterAsync(app.Id, annotation_filter_id, ct), app) });
    }

    public static async Task<ClarifaiReply> List(HttpContext http, AnnotationRepository store, CancellationToken ct)
    {
        var app = ClarifaiApi.App(http);
        var (page, perPage) = ClarifaiApi.Paging(http);
        return Reply(await store.ListFiltersAsync(app.Id, page, perPage, ct), app);
    }

    /// <summary>With <c>action: overwrite</c> (the only one filters take), replaces each named filter's name and search.</summary>
    public static async Task<ClarifaiReply> Patch(HttpContext http, AnnotationRepository store, CancellationToken ct)
    {
        var app = ClarifaiApi.App(http);
        var body = await ClarifaiJson.ReadBodyAsync(http);
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
    public static async Task<ClarifaiReply> Delete(HttpContext http, AnnotationRepository store, CancellationToken ct)
    {
        var body = await ClarifaiJson.ReadBodyAsync(http);
        var ids = ClarifaiJson.Ids(body, "annotation_filter_ids") is { Count: > 0 } named ? named : ClarifaiJson.Ids(body, "ids");
        if (ids.Count == 0)
        {
            throw ClarifaiException.Invalid("annotation_filter_ids must name at least one filter");
        }
        await store.DeleteFiltersAsync(ClarifaiApi.App(http).Id, ids, ct);
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
