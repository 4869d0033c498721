using System.Text.Json.Nodes;
using System.Text.Json;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>Clarifai annotations: create many, read one under its input, list with filters and pages, patch, delete.</summary>
public static class ClarifaiAnnotations
{
    private const int MaxPerRequest = 128;

    /// <summary>The body <see cref="Create"/> reads, for the Swagger document.</summary>
    public sealed record PostAnnotationsRequest(IReadOnlyList<PostAnnotationsRequest.Annotation> Annotations)
    {
        /// <summary>The status is a code, its name, or <c>{code}</c>; the model version is <c>model_version.id</c> or <c>model_version_id</c>.</summary>
        public sealed record Annotation(
            string? Id, string? InputId, AnnotationData.Data? Data, Status? Status, Dictionary<string, JsonElement>? AnnotationInfo,
            string? TaskId, string? ModelVersionId, ModelVersion? ModelVersion);

        public sealed record Status(int? Code);

        public sealed record ModelVersion(string? Id);
    }

    /// <summary>The body <see cref="Patch"/> reads, for the Swagger document: <c>action</c> is merge, overwrite or remove.</summary>
    public sealed record PatchAnnotationsRequest(string? Action, bool? DeleteIfEmptyData, IReadOnlyList<PostAnnotationsRequest.Annotation> Annotations);

    public static readonly ClarifaiOperation[] Operations =
    [
        new("PostAnnotations", Create, new ClarifaiRoute("POST", "/annotations", typeof(PostAnnotationsRequest))),
        new("ListAnnotations", List, new ClarifaiRoute("GET", "/annotations")),
        new("ListAnnotationWorkers", Workers, new ClarifaiRoute("GET", "/annotations/workers")),
        new("GetTaskAnnotationCount", CountForTask, new ClarifaiRoute("GET", "/tasks/{task_id}/annotations/count")),
        new("PatchAnnotations", Patch, new ClarifaiRoute("PATCH", "/annotations", typeof(PatchAnnotationsRequest))),
        new("DeleteAnnotations", DeleteMany, new ClarifaiRoute("DELETE", "/annotations"), new ClarifaiRoute("DELETE", "/inputs/annotations")),
        new("GetAnnotation", Get, new ClarifaiRoute("GET", "/inputs/{input_id}/annotations/{annotation_id}")),
        new("DeleteAnnotation", Delete, new ClarifaiRoute("DELETE", "/inputs/{input_id}/annotations/{annotation_id}")),
    ];

    /// <summary>Every annotation is checked before any is stored: one bad item fails the request and nothing is written.</summary>
    public static async Task<ClarifaiReply> Create(ClarifaiCall call)
    {
        var (app, store, ct) = (call.App, call.Service<AnnotationRepository>(), call.Aborted);
        var items = Items(call.Request, "annotations");
        var inputIds = items.Select(i => ClarifaiJson.Text(i, "input_id") ?? throw ClarifaiException.Invalid("every annotation needs an input_id")).Distinct().ToList();
        var missing = inputIds.Except(await store.ExistingInputIdsAsync(app.Id, inputIds, ct)).FirstOrDefault();
        if (missing is not null)
        {
            throw ClarifaiException.NotFound($"input {missing} does not exist");
        }
        var conceptNames = new Dictionary<string, string?>();
        var annotations = items.Select(item => new Annotation
        {
            ProjectId = app.Id,
            Id = ClarifaiJson.Text(item, "id") is { Length: > 0 } id ? id : Guid.NewGuid().ToString("N"),
            InputId = ClarifaiJson.Text(item, "input_id")!,
            Data = AnnotationData.Prepare(ClarifaiJson.Object(item, "data"), conceptNames).ToJsonString(),
            UserId = call.Caller.UserName,
            StatusCode = StatusCode(item["status"]) ?? ClarifaiStatus.AnnotationSuccess,
            // Made with a key of the app's workspace: the owner's, so trusted.
            Trusted = true,
            AnnotationInfo = ClarifaiJson.Object(item, "annotation_info")?.ToJsonString(),
            TaskId = ClarifaiJson.Text(item, "task_id"),
            ModelVersionId = ModelVersionId(item),
        }).ToList();
        if (annotations.Select(a => a.Id).Distinct().Count() != annotations.Count)
        {
            throw new ClarifaiException(ClarifaiStatus.DuplicateKey, "an annotation id appears twice");
        }
        var known = await store.ConceptsAsync(app.Id, conceptNames.Keys, ct);
        var created = NewConcepts(app, conceptNames, known);
        await store.AddAnnotationsAsync(annotations, created, ct);
        return await ReplyAsync(app, annotations, store, ct);
    }

    public static async Task<ClarifaiReply> Get(ClarifaiCall call)
    {
        var (app, store, ct) = (call.App, call.Service<AnnotationRepository>(), call.Aborted);
        var annotation = await store.GetAnnotationAsync(app.Id, call.Text("input_id") ?? "", call.Text("annotation_id") ?? "", ct);
        var concepts = await store.ConceptsAsync(app.Id, [.. AnnotationData.ConceptIds(annotation.Data)], ct);
        return ClarifaiReply.Ok(new JsonObject { ["annotation"] = Render(annotation, concepts, app) });
    }

    public static async Task<ClarifaiReply> List(ClarifaiCall call)
    {
        var (app, store, ct) = (call.App, call.Service<AnnotationRepository>(), call.Aborted);
        var (page, perPage) = call.Paging();
        var ids = call.Strings("ids");
        var inputIds = call.Strings("input_ids");
        if (ids.Count > 0 && inputIds.Count > 0 && ids.Count != inputIds.Count)
        {
            throw ClarifaiException.Invalid("ids and input_ids must have the same length when both are given");
        }
        var filter = new AnnotationQuery(ids, inputIds, call.Strings("user_ids"), call.Strings("model_version_ids"),
            call.Text("task_id") is { Length: > 0 } task ? task : null, call.Flag("list_all_annotations"));
        return await ReplyAsync(app, await store.ListAnnotationsAsync(app.Id, filter, page, perPage, ct), store, ct);
    }

    /// <summary>The users who made annotations in the app.</summary>
    public static async Task<ClarifaiReply> Workers(ClarifaiCall call) =>
        ClarifaiReply.Ok(new JsonObject
        {
            ["workers"] = new JsonArray([.. (await call.Service<AnnotationRepository>().AnnotatorsAsync(call.App.Id, call.Aborted))
                .Select(user => (JsonNode)new JsonObject { ["id"] = user, ["user"] = new JsonObject { ["id"] = user } })]),
        });

    /// <summary>A labeling task's annotations counted per user and per review status (optionally for some users only).</summary>
    public static async Task<ClarifaiReply> CountForTask(ClarifaiCall call)
    {
        var app = call.App;
        var task_id = call.Text("task_id") ?? "";
        var users = call.Strings("user_ids");
        var counts = (await call.Service<AnnotationRepository>().CountByTaskAsync(app.Id, task_id, call.Aborted)).Where(c => users.Count == 0 || users.Contains(c.UserId)).GroupBy(c => c.UserId);
        return ClarifaiReply.Ok(new JsonObject
        {
            ["app_id"] = app.Name,
            ["task_id"] = task_id,
            ["counts"] = new JsonArray([.. counts.OrderBy(g => g.Key).Select(g => (JsonNode)new JsonObject
            {
                ["user_id"] = g.Key,
                ["pending"] = g.Where(c => c.StatusCode == 24151).Sum(c => c.Count),
                ["awaiting_review"] = g.Where(c => c.StatusCode == 24157).Sum(c => c.Count),
                ["success"] = g.Where(c => c.StatusCode == ClarifaiStatus.AnnotationSuccess).Sum(c => c.Count),
                ["review_denied"] = g.Where(c => c.StatusCode == 24158).Sum(c => c.Count),
                ["awaiting_consensus_review"] = g.Where(c => c.StatusCode == 24159).Sum(c => c.Count),
            })]),
        });
    }

    /// <summary><c>merge</c>, <c>overwrite</c> or <c>remove</c>; any unknown id fails the request before anything changes.</summary>
    public static async Task<ClarifaiReply> Patch(ClarifaiCall call)
    {
        var (app, store, ct) = (call.App, call.Service<AnnotationRepository>(), call.Aborted);
        var clock = call.Service<TimeProvider>();
        var body = call.Request;
        var action = ClarifaiJson.Text(body, "action");
        if (action is not ("merge" or "overwrite" or "remove"))
        {
            throw ClarifaiException.Invalid("action must be merge, overwrite or remove");
        }
        var deleteIfEmpty = ClarifaiJson.Flag(body, "delete_if_empty_data");
        var patches = Items(body, "annotations");
        var ids = patches.Select(p => ClarifaiJson.Text(p, "id") ?? throw ClarifaiException.Invalid("every annotation to patch needs an id")).ToList();
        var stored = (await store.FindForChangeAsync(app.Id, ids.Distinct().ToList(), ct)).ToDictionary(a => a.Id);
        var conceptNames = new Dictionary<string, string?>();
        foreach (var patch in patches)
        {
            var annotation = stored[ClarifaiJson.Text(patch, "id")!];
            if (ClarifaiJson.Text(patch, "input_id") is { } inputId && inputId != annotation.InputId)
            {
                throw ClarifaiException.NotFound($"annotation {annotation.Id} is not on input {inputId}");
            }
            Apply(annotation, patch, action, conceptNames);
            annotation.ModifiedAt = clock.GetUtcNow().UtcDateTime;
        }
        var emptied = deleteIfEmpty
            ? stored.Values.Where(a => !a.InputLevel && AnnotationData.IsEmpty((JsonObject)JsonNode.Parse(a.Data)!)).ToList()
            : [];
        var known = await store.ConceptsAsync(app.Id, conceptNames.Keys, ct);
        await store.SaveChangesAsync(emptied, NewConcepts(app, conceptNames, known), ct);
        return await ReplyAsync(app, [.. ids.Distinct().Select(id => stored[id]).Except(emptied)], store, ct);
    }

    public static async Task<ClarifaiReply> Delete(ClarifaiCall call)
    {
        await call.Service<AnnotationRepository>().DeleteAnnotationsAsync(call.App.Id, [call.Text("annotation_id") ?? ""], [call.Text("input_id") ?? ""], call.Aborted);
        return ClarifaiReply.Ok([]);
    }

    /// <summary>
    /// Body <c>{input_ids, ids?}</c> (DELETE bodies are read with or without a Content-Type): <c>ids[i]</c> of
    /// <c>input_ids[i]</c>, or every annotation of the inputs but the input-level ones. Deleting a whole app this way is refused.
    /// </summary>
    public static async Task<ClarifaiReply> DeleteMany(ClarifaiCall call)
    {
        var body = call.Request;
        var inputIds = ClarifaiJson.Ids(body, "input_ids");
        var ids = ClarifaiJson.Ids(body, "ids");
        if (inputIds.Count == 0)
        {
            throw ClarifaiException.Invalid("input_ids is required");
        }
        if (ids.Count > 0 && ids.Count != inputIds.Count)
        {
            throw ClarifaiException.Invalid("ids and input_ids must have the same length");
        }
        await call.Service<AnnotationRepository>().DeleteAnnotationsAsync(call.App.Id, ids, inputIds, call.Aborted);
        return ClarifaiReply.Ok([]);
    }

    /// <summary>The model version an annotation names, as <c>model_version.id</c> or <c>model_version_id</c>.</summary>
    public static string? ModelVersionId(JsonObject annotation) =>
        (ClarifaiJson.Object(annotation, "model_version") is { } version ? ClarifaiJson.Text(version, "id") : null) ?? ClarifaiJson.Text(annotation, "model_version_id");

    /// <summary>Concepts named by data but not in the app yet, created with the name sent or their id.</summary>
    public static List<Concept> NewConcepts(Project app, Dictionary<string, string?> named, IReadOnlyDictionary<string, Concept> known) =>
        [.. named.Where(n => !known.ContainsKey(n.Key)).Select(n => new Concept { ProjectId = app.Id, Id = n.Key, Name = n.Value ?? n.Key })];

    private static void Apply(Annotation annotation, JsonObject patch, string action, Dictionary<string, string?> conceptNames)
    {
        var data = (JsonObject)JsonNode.Parse(annotation.Data)!;
        var info = annotation.AnnotationInfo is null ? new JsonObject() : (JsonObject)JsonNode.Parse(annotation.AnnotationInfo)!;
        var patchData = ClarifaiJson.Object(patch, "data");
        var patchInfo = ClarifaiJson.Object(patch, "annotation_info");
        switch (action)
        {
            case "merge":
                if (patchData is not null)
                {
                    AnnotationData.Merge(data, patchData);
                }
                if (patchInfo is not null)
                {
                    AnnotationData.Merge(info, patchInfo);
                }
                break;
            case "overwrite":
                data = patchData ?? data;
                info = patchInfo ?? info;
                break;
            default:
                if (patchData is not null)
                {
                    AnnotationData.Remove(data, patchData);
                }
                if (patchInfo is not null)
                {
                    AnnotationData.Remove(info, patchInfo);
                }
                break;
        }
        annotation.Data = AnnotationData.Prepare(data, conceptNames).ToJsonString();
        annotation.AnnotationInfo = info.Count == 0 ? null : info.ToJsonString();
        if (action != "remove" && StatusCode(patch["status"]) is { } code)
        {
            annotation.StatusCode = code;
        }
    }

    private static async Task<ClarifaiReply> ReplyAsync(Project app, IReadOnlyList<Annotation> annotations, AnnotationRepository store, CancellationToken ct)
    {
        var concepts = await store.ConceptsAsync(app.Id, [.. annotations.SelectMany(a => AnnotationData.ConceptIds(a.Data)).Distinct()], ct);
        return ClarifaiReply.Ok(new JsonObject { ["annotations"] = new JsonArray([.. annotations.Select(a => (JsonNode)Render(a, concepts, app))]) });
    }

    private static JsonObject Render(Annotation a, IReadOnlyDictionary<string, Concept> concepts, Project app)
    {
        var rendered = new JsonObject
        {
            ["id"] = a.Id,
            ["input_id"] = a.InputId,
            ["data"] = AnnotationData.Render(a.Data, concepts, app),
            ["user_id"] = a.UserId,
            ["status"] = ClarifaiJson.Status(a.StatusCode),
            ["created_at"] = ClarifaiJson.Timestamp(a.CreatedAt),
            ["modified_at"] = ClarifaiJson.Timestamp(a.ModifiedAt),
            ["trusted"] = a.Trusted,
            ["input_level"] = a.InputLevel,
        };
        if (a.AnnotationInfo is not null)
        {
            rendered["annotation_info"] = JsonNode.Parse(a.AnnotationInfo);
        }
        if (a.TaskId is not null)
        {
            rendered["task_id"] = a.TaskId;
        }
        if (a.ModelVersionId is not null)
        {
            rendered["model_version_id"] = a.ModelVersionId;
        }
        return rendered;
    }

    /// <summary>A status given as a number, a name, or an object with a code; null when absent. Unknown names are a bad request.</summary>
    private static int? StatusCode(JsonNode? status) => status switch
    {
        null => null,
        JsonObject o => StatusCode(o["code"]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && ClarifaiStatus.IsAnnotationCode(n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && ClarifaiStatus.TryAnnotationCode(v.GetValue<string>(), out var named) => named,
        _ => throw new ClarifaiException(ClarifaiStatus.AnnotationInvalidArgument, $"unknown annotation status {status.ToJsonString()}"),
    };

    private static List<JsonObject> Items(JsonObject body, string field)
    {
        var items = ClarifaiJson.List(body, field);
        if (items.Count is 0 or > MaxPerRequest)
        {
            throw ClarifaiException.Invalid($"send 1 to {MaxPerRequest} {field}");
        }
        return [.. items.Select(i => i as JsonObject ?? throw ClarifaiException.Invalid($"every item of {field} must be an object"))];
    }
}
