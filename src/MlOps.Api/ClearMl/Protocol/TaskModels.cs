using System.Text.Json.Nodes;

namespace MlOps.Api.ClearMl;

/// <summary>
/// The <c>models</c> part of a ClearML task document, <c>{"input": [...], "output": [...]}</c> with items
/// <c>{name, model, updated}</c>, as the models.* calls read and change it.
/// </summary>
public static class TaskModels
{
    /// <summary>The name ClearML gives the output model recorded by models.update_for_task.</summary>
    public const string OutputName = "Output Model";

    private const string Output = "output";

    public static Guid? LastOutput(string? models) =>
        JsonText.ObjectOrEmpty(models)[Output] is JsonArray output ? output.Select(ModelId).LastOrDefault(id => id is not null) : null;

    /// <summary>The document with <paramref name="model"/> as its only output (recorded <paramref name="updated"/>), as ClearML's update_for_task leaves it.</summary>
    public static string WithOnlyOutput(string? models, Guid model, DateTime updated)
    {
        var document = JsonText.ObjectOrEmpty(models);
        document[Output] = new JsonArray(new JsonObject
        {
            ["name"] = OutputName,
            ["model"] = model.ToString("N"),
            ["updated"] = updated,
        });
        return document.ToJsonString();
    }

    /// <summary>The document without <paramref name="model"/> among its outputs, or null if it was not there.</summary>
    public static string? WithoutOutput(string? models, Guid model)
    {
        var document = JsonText.ObjectOrEmpty(models);
        if (document[Output] is not JsonArray output || !output.Any(item => ModelId(item) == model))
        {
            return null;
        }
        document[Output] = new JsonArray([.. output.Where(item => ModelId(item) != model).Select(item => item?.DeepClone())]);
        return document.ToJsonString();
    }

    private static Guid? ModelId(JsonNode? item) =>
        (item as JsonObject)?["model"] is JsonValue value && value.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id)
            ? id
            : null;

}
