using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlOps.Api.Clarifai;

/// <summary>
/// Clarifai's JSON: snake_case out, both proto (snake_case) and JSON (camelCase) names in. Bodies are read as
/// JSON nodes with every key turned to snake_case, except inside free-form structs, which are echoed as given.
/// </summary>
public static class ClarifaiJson
{
    private static readonly HashSet<string> FreeForm = ["metadata", "annotation_info"];

    /// <summary>How the Swagger document names request fields: the proto (snake_case) names.</summary>
    public static readonly JsonSerializerOptions Documented = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The request body as a JSON object with snake_case keys; an empty body is an empty object.</summary>
    public static async Task<JsonObject> ReadBodyAsync(HttpContext http)
    {
        var body = await Hosting.RequestBody.BytesAsync(http);
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return [];
        }
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ClarifaiException(ClarifaiStatus.BadRequestFormat, $"request body is not valid JSON: {e.Message}");
        }
        return Normalize(parsed) as JsonObject ?? throw new ClarifaiException(ClarifaiStatus.BadRequestFormat, "request body must be a JSON object");
    }

    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(
            SnakeCase(p.Key),
            FreeForm.Contains(SnakeCase(p.Key)) ? p.Value?.DeepClone() : Normalize(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        _ => node?.DeepClone(),
    };

    /// <summary><c>inputIds</c> → <c>input_ids</c>, <c>userAppId.appId</c> → <c>user_app_id.app_id</c>; snake_case stays as it is.</summary>
    public static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c))
            {
                if (text.Length > 0 && text[^1] is not ('_' or '.'))
                {
                    text.Append('_');
                }
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    /// <summary>A list field: absent or null is empty; anything but an array is a bad request.</summary>
    public static JsonArray List(JsonObject owner, string field) => owner[field] switch
    {
        null => [],
        JsonArray array => array,
        _ => throw ClarifaiException.Invalid($"'{field}' must be a list"),
    };

    /// <summary>A list of non-empty string ids; absent is empty, anything else is a bad request.</summary>
    public static List<string> Ids(JsonObject owner, string field) =>
        [.. List(owner, field).Select(n => n is JsonValue v && v.TryGetValue<string>(out var id) && id.Length > 0
            ? id : throw ClarifaiException.Invalid($"{field} must be a list of ids"))];

    public static JsonObject? Object(JsonObject owner, string field) => owner[field] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw ClarifaiException.Invalid($"'{field}' must be an object"),
    };

    public static string? Text(JsonObject owner, string field) => owner[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw ClarifaiException.Invalid($"'{field}' must be a string"),
    };

    public static bool Flag(JsonObject owner, string field) => owner[field] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
        _ => throw ClarifaiException.Invalid($"'{field}' must be a boolean"),
    };

    /// <summary>A finite number, given as a number or as text ("NaN" and infinities, which JSON cannot store, are refused).</summary>
    public static double? Number(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String
            && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => throw ClarifaiException.Invalid("expected a number"),
    };

    public static string Timestamp(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Status(int code, string? details = null)
    {
        var status = new JsonObject { ["code"] = code, ["description"] = ClarifaiStatus.Describe(code) };
        if (details is not null)
        {
            status["details"] = details;
        }
        return status;
    }
}
