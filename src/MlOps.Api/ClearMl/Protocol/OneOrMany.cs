using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Api.ClearMl;

/// <summary>
/// A list field ClearML also accepts as one value (<c>parent: "id"</c>, as the SDK's PipelineController sends it):
/// a single string reads as a list of one.
/// </summary>
public sealed class OneOrMany : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => [reader.GetString()!],
            _ => JsonSerializer.Deserialize<List<string>>(ref reader, options),
        };

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
