using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlOps.Api.ClearMl;

/// <summary>
/// One ClearML API call: the endpoint name, the version the client asked for, and its request
/// fields, merged from the JSON body (the SDK sends it even with GET) and the query string.
/// </summary>
public sealed class ClearMlCall
{
    public const string VersionItem = "clearml.requested_version";

    private readonly byte[] _body;
    private readonly IQueryCollection _query;
    private JsonObject? _fields;

    private ClearMlCall(HttpContext http, byte[] body)
    {
        Http = http;
        _body = body;
        _query = http.Request.Query;
    }

    public HttpContext Http { get; }

    /// <summary>A call with the given fields instead of a request's (to run a stored query).</summary>
    public static ClearMlCall WithFields(HttpContext http, JsonObject fields) => new(http, []) { _fields = fields };

    private const string BodyErrorItem = "clearml.body_error";

    /// <summary>
    /// Reads the whole body before the endpoint filter runs; a body the server refuses (over the size limit) is kept
    /// as an error for the filter to answer in the envelope, rather than escaping binding as a bare failure.
    /// </summary>
    public static async ValueTask<ClearMlCall> BindAsync(HttpContext http, ParameterInfo _)
    {
        try
        {
            return new ClearMlCall(http, await Hosting.RequestBody.BytesAsync(http));
        }
        catch (BadHttpRequestException error)
        {
            http.Items[BodyErrorItem] = error;
            return new ClearMlCall(http, []);
        }
    }

    public static void ThrowIfBodyUnreadable(HttpContext http)
    {
        if (http.Items[BodyErrorItem] is BadHttpRequestException error)
        {
            throw error;
        }
    }

    /// <summary>The request fields as a JSON object; a body that is not a JSON object is a 400.</summary>
    public JsonObject Fields => _fields ??= ParseFields();

    /// <summary>The request's fields but the named ones, as ClearML echoes an update back in <c>fields</c>.</summary>
    public JsonObject FieldsExcept(params string[] excluded)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in Fields.Where(f => !excluded.Contains(f.Key)))
        {
            fields[key] = value?.DeepClone();
        }
        return fields;
    }

    public T Read<T>() where T : class
    {
        try
        {
            return Fields.Deserialize<T>(ClearMlJson.Options) ?? throw ClearMlException.Validation("empty request");
        }
        catch (JsonException e)
        {
            throw ClearMlException.Validation(e.Path is { Length: > 1 } path
                ? $"invalid value for field '{path.TrimStart('$', '.')}'"
                : e.Message);
        }
    }

    /// <summary>
    /// A batch body: JSON lines (one object per line, as the SDK sends events) or a JSON array.
    /// Lines that are not JSON objects make the whole batch a 400, so nothing is half-written.
    /// </summary>
    /// <summary>
    /// The items of a batch body: a JSON array, or JSON lines (what the SDK sends). Lines are read as one array
    /// document, without a string per line; the document lives as long as the request.
    /// </summary>
    public IReadOnlyList<JsonElement> ReadBatch()
    {
        var body = _body.AsSpan().Trim(" \t\r\n"u8);
        byte[] array;
        if (body.StartsWith("["u8))
        {
            array = body.ToArray();
        }
        else
        {
            array = new byte[body.Length + 2];
            array[0] = (byte)'[';
            var length = 1;
            foreach (var range in body.Split((byte)'\n'))
            {
                var line = body[range].Trim(" \t\r"u8);
                if (line.IsEmpty)
                {
                    continue;
                }
                if (length > 1)
                {
                    array[length++] = (byte)',';
                }
                line.CopyTo(array.AsSpan(length));
                length += line.Length;
            }
            array[length++] = (byte)']';
            Array.Resize(ref array, length);
        }
        try
        {
            var document = JsonDocument.Parse(array);
            Http.Response.RegisterForDispose(document);
            return [.. document.RootElement.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object
                ? item
                : throw ClearMlException.Validation("every batch item must be a JSON object"))];
        }
        catch (JsonException)
        {
            throw new ClearMlException(400, 12, "Validation error (malformed JSON line in batch)");
        }
    }

    private JsonObject ParseFields()
    {
        JsonObject fields;
        if (_body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            fields = [];
        }
        else
        {
            try
            {
                fields = JsonNode.Parse(_body) as JsonObject
                    ?? throw ClearMlException.Validation("request body must be a JSON object");
            }
            catch (JsonException)
            {
                throw new ClearMlException(400, 12, "Validation error (malformed JSON in request body)");
            }
        }
        foreach (var (key, values) in _query)
        {
            fields[key] = QueryValue(values.ToString());
        }
        return fields;
    }

    /// <summary>Query values are untyped text: numbers, booleans and JSON literals are read as such.</summary>
    private static JsonNode? QueryValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
