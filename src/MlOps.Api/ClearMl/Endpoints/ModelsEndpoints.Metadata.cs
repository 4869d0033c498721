using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// The model's metadata entries ({key, type, value}).
public static partial class ModelsEndpoints
{
    public sealed record MetadataRequest(string? Model, List<MetadataEntry?>? Metadata, bool ReplaceMetadata);

    public sealed record DeleteMetadataRequest(string? Model, List<string>? Keys);

    public static async Task<UpdatedResponse> AddOrUpdateMetadata(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<MetadataRequest>();
        var items = MetadataEntry.ToItems(request.Metadata) ?? throw ClearMlException.MissingField("metadata");
        await models.AddOrUpdateMetadataAsync(ModelId(request.Model), items, request.ReplaceMetadata, ct);
        return new UpdatedResponse(1);
    }

    public static async Task<UpdatedResponse> DeleteMetadata(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var request = call.Read<DeleteMetadataRequest>();
        await models.DeleteMetadataAsync(ModelId(request.Model), request.Keys ?? throw ClearMlException.MissingField("keys"), ct);
        return new UpdatedResponse(1);
    }
}
