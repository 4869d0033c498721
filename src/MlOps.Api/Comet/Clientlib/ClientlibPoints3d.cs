using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Data.Blobs;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet.Clientlib;

/// <summary>
/// <c>log_points_3d</c>: the SDK declares a <c>3d-image</c> asset, then uploads its items (points, boxes) and a
/// thumbnail, each multipart with its parameters as a JSON part <c>requestParams</c>. Items and thumbnail are stored as
/// assets of their own whose metadata names the declared asset (<c>parentAssetId</c>).
/// </summary>
public static class ClientlibPoints3d
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/asset", Declare).Documents<DeclareRequest>();
        api.MapPost("/asset/asset-item", (HttpContext h, AssetRepository a, IOptions<MlOpsOptions> o, CancellationToken ct) =>
            PartAsync(h, null, "assetItemContent", a, o.Value.Blobs.MaxBytes, ct));
        api.MapPut("/asset/{assetId}/thumbnail", (HttpContext h, string assetId, AssetRepository a, IOptions<MlOpsOptions> o, CancellationToken ct) =>
            PartAsync(h, assetId, "thumbnail", a, o.Value.Blobs.MaxBytes, ct));
    }

    public sealed record DeclareRequest(string? ExperimentKey, string? UserFileName, string? AssetType, long? Step, string? Metadata);

    public sealed record DeclareResponse(string AssetId);

    private sealed record PartParams(string? ExperimentKey, string? AssetId, string? UserFileName, string? AssetItemType, string? ThumbnailExtension);

    public static async Task<DeclareResponse> Declare(HttpContext http, AssetRepository assets, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<DeclareRequest>(http);
        var asset = await assets.DeclareAsync(
            CometApi.ExperimentKey(request.ExperimentKey), null,
            string.IsNullOrEmpty(request.UserFileName) ? throw CometException.MissingField("userFileName") : request.UserFileName,
            request.AssetType ?? "3d-image", request.Step, request.Metadata, ct);
        return new DeclareResponse(asset.AssetId);
    }

    /// <summary>An item (<paramref name="parentId"/> from its parameters) or the thumbnail (<paramref name="parentId"/> from the path).</summary>
    private static async Task<CometAssets.UploadResponse> PartAsync(
        HttpContext http, string? parentId, string filePart, AssetRepository assets, long limit, CancellationToken ct)
    {
        var form = await CometApi.ReadFormAsync(http, limit, ct);
        var parameters = await ParamsAsync(form);
        var experimentId = CometApi.ExperimentKey(parameters.ExperimentKey);
        var parent = parentId ?? parameters.AssetId ?? throw CometException.MissingField("assetId");
        await assets.GetAsync(experimentId, parent, ct);
        var file = form.Files[filePart] ?? throw CometException.MissingField(filePart);
        var thumbnail = parentId is not null;
        var metadata = new JsonObject { ["parentAssetId"] = parent };
        if (!thumbnail)
        {
            metadata["assetItemType"] = parameters.AssetItemType;
        }
        try
        {
            await using var content = file.OpenReadStream();
            var asset = await assets.UploadAsync(experimentId, new AssetUpload(
                    thumbnail ? "thumbnail" + (parameters.ThumbnailExtension ?? ".png") : parameters.UserFileName ?? file.FileName,
                    thumbnail ? "3d-image-thumbnail" : "3d-image-item", null, null, metadata.ToJsonString(), file.ContentType),
                content, overwrite: false, limit, ct);
            return new CometAssets.UploadResponse("Saved", asset.AssetId, CometAssets.Link(http, asset));
        }
        catch (BlobTooLargeException e)
        {
            throw new CometException(413, e.Message);
        }
    }

    private static async Task<PartParams> ParamsAsync(IFormCollection form)
    {
        var text = form["requestParams"].ToString();
        if (text.Length == 0 && form.Files["requestParams"] is { } part)
        {
            using var reader = new StreamReader(part.OpenReadStream());
            text = await reader.ReadToEndAsync();
        }
        try
        {
            return JsonSerializer.Deserialize<PartParams>(text.Length == 0 ? throw CometException.MissingField("requestParams") : text, CometJson.Options)!;
        }
        catch (JsonException)
        {
            throw CometException.BadRequest("requestParams must be JSON");
        }
    }
}
