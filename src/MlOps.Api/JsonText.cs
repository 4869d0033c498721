using System.Text.Json.Nodes;

namespace MlOps.Api;

/// <summary>The free-form documents the data model keeps as JSON text (script, execution, preferences, ...).</summary>
public static class JsonText
{
    /// <summary>The stored object, or an empty one when nothing (or no object) is stored.</summary>
    public static JsonObject ObjectOrEmpty(string? json) => (json is null ? null : JsonNode.Parse(json) as JsonObject) ?? [];
}
