namespace MlOps.Api.ClearMl;

/// <summary>ClearML's metadata entry on the wire (models, queues): <c>{key, type, value}</c>.</summary>
public sealed record MetadataEntry(string? Key, string? Type, string? Value)
{
    /// <summary>The entries as the shared model keeps them; each needs a key.</summary>
    public static List<Data.Repositories.MetadataItem>? ToItems(IEnumerable<MetadataEntry?>? entries) =>
        entries?.Select(e => new Data.Repositories.MetadataItem(e?.Key ?? throw ClearMlException.MissingField("metadata.key"), e.Type, e.Value)).ToList();
}
