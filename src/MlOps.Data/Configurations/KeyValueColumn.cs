using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MlOps.Data.Configurations;

/// <summary>A string-to-string dictionary kept as one JSON object in a text column, compared by content.</summary>
internal static class KeyValueColumn
{
    public static void IsKeyValueJson(this PropertyBuilder<Dictionary<string, string>> property) =>
        property.HasConversion(
                map => JsonSerializer.Serialize(map, (JsonSerializerOptions?)null),
                text => JsonSerializer.Deserialize<Dictionary<string, string>>(text, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    map => map.Aggregate(0, (hash, pair) => hash ^ HashCode.Combine(pair.Key, pair.Value)),
                    map => new Dictionary<string, string>(map)))
            .HasDefaultValueSql("'{}'")
            .IsRequired();
}
