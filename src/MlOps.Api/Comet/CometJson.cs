using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Api.Comet;

/// <summary>Comet speaks camelCase JSON and keeps null fields as <c>null</c> rather than leaving them out.</summary>
public static class CometJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>The comet_ml SDK compares the content type to exactly this (no charset parameter).</summary>
    public const string ContentType = "application/json";
}
