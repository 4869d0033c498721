using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Data.Entities;

namespace MlOps.Api.Clarifai;

/// <summary>
/// The <c>data</c> object of annotations and inputs: what is checked and filled in before it is stored
/// (region ids, concept values, bounding boxes), how it reads back (concept names), and the three patch actions.
/// </summary>
public static class AnnotationData
{
    private static readonly string[] BoxCorners = ["top_row", "left_col", "bottom_row", "right_col"];

    /// <summary>The <c>data</c> object as requests send it, for the Swagger document (handlers read it as JSON).</summary>
    public sealed record Data(
        IReadOnlyList<Data.Concept>? Concepts, IReadOnlyList<Data.Region>? Regions, Dictionary<string, JsonElement>? Metadata,
        Data.Media? Image, Data.Media? Text, Data.Media? Video, Data.Media? Audio)
    {
        public sealed record Concept(string? Id, string? Name, double? Value);

        public sealed record Region(string? Id, RegionInfo? RegionInfo, double? Value, Data? Data);

        public sealed record RegionInfo(BoundingBox? BoundingBox);

        /// <summary>Fractions of the image in [0, 1].</summary>
        public sealed record BoundingBox(double? TopRow, double? LeftCol, double? BottomRow, double? RightCol);

        /// <summary>By URL (kept as given, never fetched) or inline base64 bytes (stored as a file).</summary>
        public sealed record Media(string? Url, string? Base64);
    }

    /// <summary>A copy ready to store: regions carry ids, concepts carry values (1 when absent), boxes are valid. Adds the concept ids it names.</summary>
    public static JsonObject Prepare(JsonObject? data, Dictionary<string, string?> conceptNames)
    {
        var prepared = data?.DeepClone() as JsonObject ?? [];
        PrepareConcepts(prepared, conceptNames);
        foreach (var node in ClarifaiJson.List(prepared, "regions"))
        {
            var region = node as JsonObject ?? throw Invalid("every region must be an object");
            if (ClarifaiJson.Text(region, "id") is not { Length: > 0 })
            {
                region["id"] = Guid.NewGuid().ToString("N");
            }
            if (ClarifaiJson.Object(region, "region_info") is { } info && ClarifaiJson.Object(info, "bounding_box") is { } box)
            {
                PrepareBox(box);
            }
            if (region["value"] is not null)
            {
                region["value"] = ClarifaiJson.Number(region["value"]);
            }
            if (ClarifaiJson.Object(region, "data") is { } regionData)
            {
                PrepareConcepts(regionData, conceptNames);
            }
        }
        return prepared;
    }

    /// <summary>The stored data as it is answered: concepts named from the app, every box coordinate written.</summary>
    public static JsonObject Render(string stored, IReadOnlyDictionary<string, Concept> concepts, Project app)
    {
        var data = (JsonObject)JsonNode.Parse(stored)!;
        RenderConcepts(data, concepts, app);
        foreach (var region in ClarifaiJson.List(data, "regions").OfType<JsonObject>())
        {
            if (ClarifaiJson.Object(region, "data") is { } regionData)
            {
                RenderConcepts(regionData, concepts, app);
            }
        }
        return data;
    }

    /// <summary>Every concept id the stored data names, in its own concepts and its regions'.</summary>
    public static IEnumerable<string> ConceptIds(string stored) =>
        Concepts(stored).Select(c => ClarifaiJson.Text(c, "id")).OfType<string>();

    /// <summary>The concept ids the stored data marks present (value above 0), in its own concepts and its regions'.</summary>
    public static IEnumerable<string> PresentConceptIds(string stored) =>
        Concepts(stored).Where(c => (ClarifaiJson.Number(c["value"]) ?? 1) > 0).Select(c => ClarifaiJson.Text(c, "id")).OfType<string>();

    private static IEnumerable<JsonObject> Concepts(string stored)
    {
        var data = (JsonObject)JsonNode.Parse(stored)!;
        return ClarifaiJson.List(data, "concepts").Concat(ClarifaiJson.List(data, "regions").OfType<JsonObject>()
                .SelectMany(r => r["data"] is JsonObject d ? ClarifaiJson.List(d, "concepts") : []))
            .OfType<JsonObject>();
    }

    public static bool IsEmpty(JsonObject data) =>
        data.All(p => p.Value is null || p.Value is JsonArray { Count: 0 } || p.Value is JsonObject { Count: 0 });

    /// <summary>Lays the patch over the target: objects merge by key, lists of objects with ids merge by id, other lists append, scalars replace, null changes nothing.</summary>
    public static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            switch (value, target[key])
            {
                case (null, _):
                    break;
                case (JsonObject from, JsonObject into):
                    Merge(into, from);
                    break;
                case (JsonArray from, JsonArray into):
                    foreach (var element in from)
                    {
                        if (element is JsonObject item && Id(item) is { } id && into.OfType<JsonObject>().FirstOrDefault(e => Id(e) == id) is { } match)
                        {
                            Merge(match, item);
                        }
                        else
                        {
                            into.Add(element?.DeepClone());
                        }
                    }
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
    }

    /// <summary>
    /// Removes what the patch names: list elements matched by id (or, when a patch element other than a concept carries
    /// more than its id, what that names inside the match), and object keys the patch names with a plain value.
    /// </summary>
    public static void Remove(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            switch (value, target[key])
            {
                case (JsonObject from, JsonObject inside):
                    Remove(inside, from);
                    break;
                case (JsonArray from, JsonArray inside):
                    foreach (var item in from.OfType<JsonObject>())
                    {
                        if (Id(item) is not { } id || inside.OfType<JsonObject>().FirstOrDefault(e => Id(e) == id) is not { } match)
                        {
                            continue;
                        }
                        // A concept named by id goes whatever else it carries (Clarifai's clients always send its value).
                        var deeper = key == "concepts" ? [] : item.Where(p => p.Key != "id" && !IsBlank(p.Value)).ToList();
                        if (deeper.Count == 0)
                        {
                            inside.Remove(match);
                        }
                        else
                        {
                            Remove(match, new JsonObject(deeper.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))));
                        }
                    }
                    break;
                case (JsonValue, not null):
                    target.Remove(key);
                    break;
            }
        }
    }

    /// <summary>What a client that writes every field sends for one it did not set.</summary>
    private static bool IsBlank(JsonNode? node) => node switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => o.All(p => IsBlank(p.Value)),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.Number => v.GetValue<double>() == 0,
            JsonValueKind.False => true,
            _ => false,
        },
        _ => false,
    };

    private static string? Id(JsonObject item) => item["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;

    private static void PrepareConcepts(JsonObject owner, Dictionary<string, string?> conceptNames)
    {
        foreach (var node in ClarifaiJson.List(owner, "concepts"))
        {
            var concept = node as JsonObject ?? throw Invalid("every concept must be an object");
            var id = ClarifaiJson.Text(concept, "id") is { Length: > 0 } given ? given : throw Invalid("every concept needs an id");
            concept["value"] = ClarifaiJson.Number(concept["value"]) ?? 1.0;
            conceptNames.TryAdd(id, ClarifaiJson.Text(concept, "name"));
            concept.Remove("name");
            concept.Remove("app_id");
        }
    }

    private static void PrepareBox(JsonObject box)
    {
        var corners = BoxCorners.ToDictionary(c => c, c => ClarifaiJson.Number(box[c]) ?? 0);
        if (corners.Values.Any(v => v is < 0 or > 1) || corners["top_row"] > corners["bottom_row"] || corners["left_col"] > corners["right_col"])
        {
            throw Invalid("bounding box coordinates must be fractions in [0, 1] with top_row <= bottom_row and left_col <= right_col");
        }
        foreach (var (corner, value) in corners)
        {
            box[corner] = value;
        }
    }

    private static void RenderConcepts(JsonObject owner, IReadOnlyDictionary<string, Concept> concepts, Project app)
    {
        foreach (var concept in ClarifaiJson.List(owner, "concepts").OfType<JsonObject>())
        {
            var id = ClarifaiJson.Text(concept, "id")!;
            concept["name"] = concepts.TryGetValue(id, out var known) ? known.Name : id;
            concept["app_id"] = app.Name;
        }
    }

    private static ClarifaiException Invalid(string details) => new(ClarifaiStatus.AnnotationInvalidArgument, details);
}
