using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML speaks snake_case JSON, numbers may arrive as strings (query parameters), nulls are omitted.</summary>
public static class ClearMlJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
