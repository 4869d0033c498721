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
    /// The items of a batch body, each a slice of the body holding one JSON object: JSON lines (what the SDK sends) or
    /// a JSON array. Every item is checked before any is returned, so a malformed or non-object item makes the whole
    /// batch a 400 and nothing is half-written; no document is built, each caller reads the items its own way.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> BatchItems()
    {
        var body = Trim(_body, " \t\r\n"u8);
        var items = new List<ReadOnlyMemory<byte>>();
        try
        {
            if (body.Span.StartsWith("["u8))
            {
                var reader = new Utf8JsonReader(body.Span);
                reader.Read();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    RequireObject(reader.TokenType);
                    reader.Skip();
                    items.Add(body[start..(int)reader.BytesConsumed]);
                }
                while (reader.Read())
                {
                    // a value after the array is malformed: the reader throws
                }
                return items;
            }
            foreach (var range in body.Span.Split((byte)'\n'))
            {
                var (offset, length) = range.GetOffsetAndLength(body.Length);
                var line = Trim(body.Slice(offset, length), " \t\r"u8);
                if (line.IsEmpty)
                {
                    continue;
                }
                var reader = new Utf8JsonReader(line.Span);
                reader.Read();
                RequireObject(reader.TokenType);
                reader.Skip();
                while (reader.Read())
                {
                    // a second value on the line is malformed: the reader throws
                }
                items.Add(line);
            }
            return items;
        }
        catch (JsonException)
        {
            throw new ClearMlException(400, 12, "Validation error (malformed JSON line in batch)");
        }
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> bytes, ReadOnlySpan<byte> blanks)
    {
        var lead = bytes.Length - bytes.Span.TrimStart(blanks).Length;
        return bytes.Slice(lead, bytes.Span[lead..].TrimEnd(blanks).Length);
    }

    private static void RequireObject(JsonTokenType token)
    {
        if (token != JsonTokenType.StartObject)
        {
            throw ClearMlException.Validation("every batch item must be a JSON object");
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
