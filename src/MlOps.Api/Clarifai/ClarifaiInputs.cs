using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>
/// Clarifai inputs: what annotations point at. An image or text given by URL is kept as a URL (this server does
/// not fetch it); bytes given inline (base64) go to the blob store. Each input also gets its input-level
/// annotation holding the concepts and metadata sent with it.
/// </summary>
public static class ClarifaiInputs
{
    /// <summary>The body <see cref="Create"/> reads, for the Swagger document.</summary>
    public sealed record PostInputsRequest(IReadOnlyList<PostInputsRequest.Input> Inputs)
    {
        public sealed record Input(string? Id, AnnotationData.Data? Data);
    }

    public static readonly ClarifaiOperation[] Operations =
    [
        new("PostInputs", Create, new ClarifaiRoute("POST", "/inputs", typeof(PostInputsRequest))),
        new("ListInputs", List, new ClarifaiRoute("GET", "/inputs")),
        new("DeleteInputs", DeleteMany, new ClarifaiRoute("DELETE", "/inputs")),
        new("GetInputCount", Counts, new ClarifaiRoute("GET", "/inputs/status")),
        new("GetInput", Get, new ClarifaiRoute("GET", "/inputs/{input_id}")),
        new("DeleteInput", Delete, new ClarifaiRoute("DELETE", "/inputs/{input_id}")),
    ];

    /// <summary>Stores the valid inputs and reports each one's status: all stored 10000, some 10010, none 10020.</summary>
    public static async Task<ClarifaiReply> Create(ClarifaiCall call)
    {
        var (app, store, ct) = (call.App, call.Service<AnnotationRepository>(), call.Aborted);
        var (files, options, clock) = (call.Service<FileRepository>(), call.Service<IOptions<MlOpsOptions>>(), call.Service<TimeProvider>());
        var items = ClarifaiJson.List(call.Request, "inputs");
        if (items.Count is 0 or > 128)
        {
            throw ClarifaiException.Invalid("send 1 to 128 inputs");
        }
        var requested = items.Select(i => (i as JsonObject)?["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null).OfType<string>().ToList();
        var taken = (await store.ExistingInputIdsAsync(app.Id, requested, ct)).ToHashSet();
        var results = new List<(JsonObject Rendered, Input? Stored, JsonObject? Data)>();
        var conceptNames = new Dictionary<string, string?>();
        foreach (var node in items)
        {
            var item = node as JsonObject ?? throw ClarifaiException.Invalid("every input must be an object");
            var id = ClarifaiJson.Text(item, "id") is { Length: > 0 } given ? given : Guid.NewGuid().ToString("N");
            if (!taken.Add(id))
            {
                results.Add((Failed(id, ClarifaiStatus.DuplicateKey, $"input id {id} already exists"), null, null));
                continue;
            }
            try
            {
                var data = AnnotationData.Prepare(ClarifaiJson.Object(item, "data"), conceptNames);
                // Rendered before it is saved, so its times are set here rather than when the save stamps them.
                var now = clock.GetUtcNow().UtcDateTime;
                var input = new Input { ProjectId = app.Id, Id = id, Data = "{}", StatusCode = ClarifaiStatus.InputDownloadSuccess, CreatedAt = now, ModifiedAt = now };
                input.FilePath = await StoreInlineBytesAsync(data, input, files, options.Value.Blobs.MaxBytes, ct);
                input.Data = data.ToJsonString();
                results.Add((Render(input, app), input, data));
            }
            catch (ClarifaiException e)
            {
                results.Add((Failed(id, ClarifaiStatus.InputInvalidArgument, e.Message), null, null));
            }
        }
        var stored = results.Where(r => r.Stored is not null).ToList();
        if (stored.Count > 0)
        {
            var user = call.Caller.UserName;
            var known = await store.ConceptsAsync(app.Id, conceptNames.Keys, ct);
            await store.AddInputsAsync(
                [.. stored.Select(r => r.Stored!)],
                [.. stored.Select(r => InputLevelAnnotation(r.Stored!, r.Data!, user))],
                ClarifaiAnnotations.NewConcepts(app, conceptNames, known), ct);
        }
        var code = stored.Count == results.Count ? ClarifaiStatus.Success : stored.Count == 0 ? ClarifaiStatus.Failure : ClarifaiStatus.MixedStatus;
        return new ClarifaiReply(code, new JsonObject { ["inputs"] = new JsonArray([.. results.Select(r => (JsonNode)r.Rendered)]) });
    }

    public static async Task<ClarifaiReply> Get(ClarifaiCall call) =>
        ClarifaiReply.Ok(new JsonObject
        {
            ["input"] = Render(await call.Service<AnnotationRepository>().GetInputAsync(call.App.Id, call.Text("input_id") ?? "", call.Aborted), call.App),
        });

    /// <summary>How many inputs the app holds, by processing state (every stored input is processed: URLs are not fetched).</summary>
    public static async Task<ClarifaiReply> Counts(ClarifaiCall call) =>
        ClarifaiReply.Ok(new JsonObject
        {
            ["counts"] = new JsonObject
            {
                ["processed"] = await call.Service<AnnotationRepository>().CountInputsAsync(call.App.Id, call.Aborted),
                ["to_process"] = 0,
                ["errors"] = 0,
                ["processing"] = 0,
            },
        });

    /// <summary>The app's inputs, newest first, or those named in <c>ids</c>.</summary>
    public static async Task<ClarifaiReply> List(ClarifaiCall call)
    {
        var (page, perPage) = call.Paging();
        var inputs = await call.Service<AnnotationRepository>().ListInputsAsync(call.App.Id, call.Strings("ids"), page, perPage, call.Aborted);
        return ClarifaiReply.Ok(new JsonObject { ["inputs"] = new JsonArray([.. inputs.Select(i => (JsonNode)Render(i, call.App))]) });
    }

    public static async Task<ClarifaiReply> Delete(ClarifaiCall call)
    {
        await call.Service<AnnotationRepository>().DeleteInputsAsync(call.App.Id, [call.Text("input_id") ?? ""], call.Aborted);
        return ClarifaiReply.Ok([]);
    }

    /// <summary>Deletes the inputs named in <c>ids</c> (body), with their annotations; all or none.</summary>
    public static async Task<ClarifaiReply> DeleteMany(ClarifaiCall call)
    {
        var ids = ClarifaiJson.Ids(call.Request, "ids");
        if (ids.Count == 0)
        {
            throw ClarifaiException.Invalid("ids must name the inputs to delete");
        }
        await call.Service<AnnotationRepository>().DeleteInputsAsync(call.App.Id, ids, call.Aborted);
        return ClarifaiReply.Ok([]);
    }

    private static JsonObject Render(Input input, Project app)
    {
        var data = (JsonObject)JsonNode.Parse(input.Data)!;
        return new JsonObject
        {
            ["id"] = input.Id,
            ["data"] = data,
            ["created_at"] = ClarifaiJson.Timestamp(input.CreatedAt),
            ["modified_at"] = ClarifaiJson.Timestamp(input.ModifiedAt),
            ["status"] = ClarifaiJson.Status(input.StatusCode),
        };
    }

    private static JsonObject Failed(string id, int code, string details) => new() { ["id"] = id, ["status"] = ClarifaiJson.Status(code, details) };

    /// <summary>Inline base64 bytes (image or text) are stored as a file; the data keeps a note of it instead of the bytes.</summary>
    private static async Task<string?> StoreInlineBytesAsync(JsonObject data, Input input, FileRepository files, long maxBytes, CancellationToken ct)
    {
        foreach (var kind in new[] { "image", "text", "video", "audio" })
        {
            if (ClarifaiJson.Object(data, kind) is { } media && ClarifaiJson.Text(media, "base64") is { Length: > 0 } encoded)
            {
                byte[] bytes;
                try
                {
                    bytes = Convert.FromBase64String(encoded);
                }
                catch (FormatException)
                {
                    throw new ClarifaiException(ClarifaiStatus.InputInvalidArgument, $"{kind}.base64 is not valid base64");
                }
                var path = $"inputs/{input.ProjectId:N}/{Uri.EscapeDataString(input.Id)}";
                await files.PutAsync(path, new MemoryStream(bytes), null, maxBytes, ct);
                media.Remove("base64");
                media["stored_bytes"] = bytes.Length;
                return path;
            }
        }
        return null;
    }

    private static Annotation InputLevelAnnotation(Input input, JsonObject data, string user) => new()
    {
        ProjectId = input.ProjectId,
        Id = Guid.NewGuid().ToString("N"),
        InputId = input.Id,
        Data = new JsonObject(data.Where(p => p.Key is "concepts" or "metadata").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString(),
        UserId = user,
        StatusCode = ClarifaiStatus.AnnotationSuccess,
        Trusted = true,
        InputLevel = true,
    };
}
