using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Hosting;

namespace MlOps.Api.Mlflow;

/// <summary>
/// The fields of an MLflow request, as MLflow's server reads them: the query string of a GET (a repeated key is a
/// list), else the JSON body. Numbers are taken as JSON numbers or as strings (MLflow's R client sends
/// <c>"step": "1"</c>); a value of the wrong kind is an INVALID_PARAMETER_VALUE naming the field.
/// </summary>
public sealed class MlflowRequest(JsonObject fields)
{
    public static async Task<MlflowRequest> ReadAsync(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method) && http.Request.Query.Count > 0)
        {
            var query = new JsonObject();
            foreach (var (key, values) in http.Request.Query)
            {
                query[key] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
            }
            return new MlflowRequest(query);
        }
        var body = await RequestBody.BytesAsync(http);
        if (body.Length == 0)
        {
            return new MlflowRequest([]);
        }
        try
        {
            return JsonNode.Parse(body) switch
            {
                JsonObject fields => new MlflowRequest(fields),
                JsonValue text when text.TryGetValue<string>(out var json) && JsonNode.Parse(json) is JsonObject fields => new MlflowRequest(fields),
                _ => throw MlflowException.Invalid("The request body must be a JSON object."),
            };
        }
        catch (JsonException e)
        {
            throw MlflowException.Invalid($"Malformed JSON request body: {e.Message}");
        }
    }

    public string? String(string name) => fields[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        var other => throw WrongKind(name, other, "a string"),
    };

    public string Required(string name) =>
        String(name) is { Length: > 0 } value ? value
        : throw MlflowException.Invalid($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    public long? Long(string name) => fields[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var whole) && whole == Math.Floor(whole) && Math.Abs(whole) < 9e18 => (long)whole,
        JsonValue value when value.GetValueKind() == JsonValueKind.String
            && long.TryParse(value.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw WrongKind(name, other, "an integer"),
    };

    public double? Double(string name) => fields[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && double.IsFinite(number) => number,
        JsonValue value when value.GetValueKind() == JsonValueKind.String && ParseDouble(value.GetValue<string>()) is { } parsed => parsed,
        var other => throw WrongKind(name, other, "a number"),
    };

    public bool? Bool(string name) => fields[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String && bool.TryParse(value.GetValue<string>(), out var flag) => flag,
        var other => throw WrongKind(name, other, "a boolean"),
    };

    /// <summary>A list of strings; one value alone (a query string's single <c>run_ids=...</c>) is a list of one.</summary>
    public List<string> Strings(string name) => fields[name] switch
    {
        null => [],
        JsonArray items => [.. items.Select((item, i) => new MlflowRequest(new JsonObject { ["item"] = item?.DeepClone() }).String("item")
            ?? throw WrongKind($"{name}[{i}]", item, "a string"))],
        _ => [String(name)!],
    };

    /// <summary>A list of objects (log-batch's metrics, a run's tags), each read with the same rules.</summary>
    public List<MlflowRequest> Objects(string name) => fields[name] switch
    {
        null => [],
        JsonArray items => [.. items.Select((item, i) => item is JsonObject one ? new MlflowRequest(one) : throw WrongKind($"{name}[{i}]", item, "an object"))],
        var other => throw WrongKind(name, other, "a list"),
    };

    /// <summary>A nested object, read with the same rules; a missing one is a missing required parameter.</summary>
    public MlflowRequest Object(string name) => fields[name] switch
    {
        JsonObject one => new MlflowRequest(one),
        null => throw MlflowException.Invalid($"Missing value for required parameter '{name}'."),
        var other => throw WrongKind(name, other, "an object"),
    };

    /// <summary>MLflow's page size: <paramref name="fallback"/> when absent, between 1 and <paramref name="max"/>.</summary>
    public int MaxResults(int fallback, int max) => Long("max_results") switch
    {
        null => fallback,
        var n when n is < 1 || n > max => throw MlflowException.Invalid($"Invalid value {n} for parameter 'max_results' supplied. It must be at most {max} and at least 1."),
        var n => (int)n!.Value,
    };

    private static double? ParseDouble(string text) => text switch
    {
        "NaN" or "nan" => double.NaN,
        "Infinity" or "inf" => double.PositiveInfinity,
        "-Infinity" or "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null,
    };

    private static MlflowException WrongKind(string name, JsonNode? value, string kind)
    {
        var shown = value?.ToJsonString() ?? "null";
        return MlflowException.Invalid($"Invalid value {(shown.Length > 100 ? shown[..100] + "..." : shown)} for parameter '{name}' supplied: expected {kind}.");
    }
}
