using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>Clarifai concepts: the labels of an app that annotations refer to by id.</summary>
public static class ClarifaiConcepts
{
    /// <summary>The body <see cref="Create"/> reads, for the Swagger document.</summary>
    public sealed record PostConceptsRequest(IReadOnlyList<PostConceptsRequest.Concept> Concepts)
    {
        public sealed record Concept(string? Id, string? Name, string? Language);
    }

    /// <summary>The body <see cref="Patch"/> reads, for the Swagger document: <c>action</c> is overwrite (or merge).</summary>
    public sealed record PatchConceptsRequest(string? Action, IReadOnlyList<PostConceptsRequest.Concept> Concepts);

    public static readonly ClarifaiOperation[] Operations =
    [
        new("PostConcepts", Create, new ClarifaiRoute("POST", "/concepts", typeof(PostConceptsRequest))),
        new("ListConcepts", List, new ClarifaiRoute("GET", "/concepts")),
        new("PatchConcepts", Patch, new ClarifaiRoute("PATCH", "/concepts", typeof(PatchConceptsRequest))),
        new("GetConcept", Get, new ClarifaiRoute("GET", "/concepts/{concept_id}")),
    ];

    public static async Task<ClarifaiReply> Create(ClarifaiCall call)
    {
        var app = call.App;
        var items = ClarifaiJson.List(call.Request, "concepts");
        if (items.Count == 0)
        {
            throw ClarifaiException.Invalid("concepts must not be empty");
        }
        var concepts = items.Select(item => item as JsonObject ?? throw ClarifaiException.Invalid("every concept must be an object")).Select(item =>
        {
            var id = ClarifaiJson.Text(item, "id") is { Length: > 0 } given ? given : throw ClarifaiException.Invalid("every concept needs an id");
            return new Concept { ProjectId = app.Id, Id = id, Name = ClarifaiJson.Text(item, "name") ?? id, Language = ClarifaiJson.Text(item, "language") };
        }).ToList();
        if (concepts.Select(c => c.Id).Distinct().Count() != concepts.Count)
        {
            throw new ClarifaiException(ClarifaiStatus.DuplicateKey, "a concept id appears twice");
        }
        await call.Service<AnnotationRepository>().AddConceptsAsync(concepts, call.Aborted);
        return ClarifaiReply.Ok(new JsonObject { ["concepts"] = new JsonArray([.. concepts.Select(c => Render(c, app))]) });
    }

    public static async Task<ClarifaiReply> Get(ClarifaiCall call) =>
        ClarifaiReply.Ok(new JsonObject
        {
            ["concept"] = Render(await call.Service<AnnotationRepository>().GetConceptAsync(call.App.Id, call.Text("concept_id") ?? "", call.Aborted), call.App),
        });

    public static async Task<ClarifaiReply> List(ClarifaiCall call)
    {
        var (page, perPage) = call.Paging();
        var concepts = await call.Service<AnnotationRepository>().ListConceptsAsync(call.App.Id, page, perPage, call.Aborted);
        return ClarifaiReply.Ok(new JsonObject { ["concepts"] = new JsonArray([.. concepts.Select(c => Render(c, call.App))]) });
    }

    /// <summary>Renames concepts (<c>action: overwrite</c>, the only change Clarifai allows on a concept's name).</summary>
    public static async Task<ClarifaiReply> Patch(ClarifaiCall call)
    {
        var app = call.App;
        var body = call.Request;
        if (ClarifaiJson.Text(body, "action") is not ("overwrite" or "merge"))
        {
            throw ClarifaiException.Invalid("action must be overwrite");
        }
        var names = new Dictionary<string, string>();
        foreach (var item in ClarifaiJson.List(body, "concepts").OfType<JsonObject>())
        {
            names[ClarifaiJson.Text(item, "id") ?? throw ClarifaiException.Invalid("every concept needs an id")] =
                ClarifaiJson.Text(item, "name") ?? throw ClarifaiException.Invalid("every concept needs a name");
        }
        var renamed = await call.Service<AnnotationRepository>().RenameConceptsAsync(app.Id, names, call.Aborted);
        return ClarifaiReply.Ok(new JsonObject { ["concepts"] = new JsonArray([.. renamed.Select(c => Render(c, app))]) });
    }

    public static JsonObject Render(Concept c, Project app) => new()
    {
        ["id"] = c.Id,
        ["name"] = c.Name,
        ["value"] = 1.0,
        ["created_at"] = ClarifaiJson.Timestamp(c.CreatedAt),
        ["language"] = c.Language ?? "en",
        ["app_id"] = app.Name,
    };
}
