using System.Text.Json;

namespace MlOps.Data.Repositories;

/// <summary>One metadata entry of a model or queue, stored under its key.</summary>
public sealed record MetadataItem(string Key, string? Type, string? Value);

/// <summary>Metadata kept as JSON text: an object of <see cref="MetadataItem"/> by key (models and queues share the shape).</summary>
public static class MetadataDocument
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Dictionary<string, MetadataItem> Read(string? json) =>
        (json is null ? null : JsonSerializer.Deserialize<Dictionary<string, MetadataItem>>(json, Json)) ?? [];

    public static string Write(IEnumerable<MetadataItem> items) =>
        JsonSerializer.Serialize(items.DistinctBy(i => i.Key).ToDictionary(i => i.Key), Json);

    /// <summary>The stored items with <paramref name="items"/> set by key (or only them, when <paramref name="replace"/>).</summary>
    public static string Merge(string? stored, IReadOnlyList<MetadataItem> items, bool replace, EntityKind entity)
    {
        if (items.Count == 0 || items.Any(i => string.IsNullOrEmpty(i.Key)))
        {
            throw new DomainException(DomainError.InvalidInput, entity, "metadata needs at least one item, each with a key");
        }
        var metadata = replace ? [] : Read(stored);
        foreach (var item in items)
        {
            metadata[item.Key] = item;
        }
        return Write(metadata.Values);
    }

    public static string Remove(string? stored, IReadOnlyList<string> keys, EntityKind entity)
    {
        if (keys.Count == 0 || keys.Any(string.IsNullOrEmpty))
        {
            throw new DomainException(DomainError.InvalidInput, entity, "keys needs at least one key, none empty");
        }
        var metadata = Read(stored);
        foreach (var key in keys)
        {
            metadata.Remove(key);
        }
        return Write(metadata.Values);
    }
}
