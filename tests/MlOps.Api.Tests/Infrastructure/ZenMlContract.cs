using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using YamlDotNet.RepresentationModel;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// The ZenML seed contract (a copy of ../shared/seeds/zenml-openapi.yml): its operations, and a JSON-schema
/// validator for each operation's documented responses built from the seed's component schemas.
/// </summary>
public sealed class ZenMlContract
{
    public static readonly Lazy<ZenMlContract> Seed = new(() => new ZenMlContract(Path.Combine(AppContext.BaseDirectory, "ZenMl", "zenml-openapi.yml")));

    private readonly JsonObject _document;
    private readonly Dictionary<string, JsonSchema> _schemas = [];

    private ZenMlContract(string path)
    {
        using var reader = new StreamReader(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        _document = (JsonObject)ToJson(yaml.Documents[0].RootNode)!;
        // NJsonSchema resolves references within a JSON schema document, so the component schemas become its definitions.
        var definitions = _document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/definitions/");
        var root = JsonSchema.FromJsonAsync($"{{\"definitions\": {definitions}}}").GetAwaiter().GetResult();
        foreach (var (name, schema) in root.Definitions)
        {
            _schemas[name] = schema;
        }
    }

    /// <summary>Every (method, path) the seed defines, e.g. ("GET", "/pipelines/{pipeline_id}").</summary>
    public IReadOnlyList<(string Method, string Path)> Operations =>
        [.. _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Key != "parameters").Select(o => (o.Key.ToUpperInvariant(), p.Key)))];

    /// <summary>The status codes the seed documents for an operation.</summary>
    public IReadOnlyList<int> Statuses(string method, string path) =>
        [.. Operation(method, path)["responses"]!.AsObject().Select(r => int.Parse(r.Key, CultureInfo.InvariantCulture))];

    /// <summary>Validation errors of <paramref name="body"/> against the operation's schema for <paramref name="status"/> (none when valid).</summary>
    public IReadOnlyList<string> Validate(string method, string path, int status, string body)
    {
        var response = Operation(method, path)["responses"]![status.ToString(CultureInfo.InvariantCulture)]
            ?? throw new InvalidOperationException($"the seed documents no {status} for {method} {path}");
        var reference = response["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
        if (reference is null)
        {
            return body.Length == 0 ? [] : [$"the seed documents no body for {status}, got: {body}"];
        }
        var schema = _schemas[reference.Split('/')[^1]];
        return [.. schema.Validate(body).Select(e => $"{e.Path}: {e.Kind}")];
    }

    private JsonObject Operation(string method, string path) =>
        _document["paths"]![path]?[method.ToLowerInvariant()]?.AsObject() ?? throw new InvalidOperationException($"not in the seed: {method} {path}");

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => Plain(scalar.Value!),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static JsonNode? Plain(string text) =>
        text is "true" or "false" ? JsonValue.Create(text == "true")
        : text is "null" or "~" ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? JsonValue.Create(integer)
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number)
        : JsonValue.Create(text);
}
