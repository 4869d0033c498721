using System.Text.Json;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Data.Blobs;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>Comet experiment assets: multipart uploads into the blob store, remote links, listing, download, tags.</summary>
public static class CometAssets
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/write/experiment/upload-asset", Upload);
        api.MapPost("/write/experiment/assets/remote/batch", AddRemote).Documents<RemoteRequest>();
        api.MapGet("/experiment/asset/list", List);
        api.MapGet("/experiment/asset/get-asset", Download);
        api.MapGet("/experiment/image/get-image", (string? experimentKey, string? imageId, AssetRepository assets, CancellationToken ct) =>
            Download(experimentKey, imageId, assets, ct)); // where comet_ml links a logged image
        api.MapPost("/write/experiment/asset/delete", Delete);
        api.MapPost("/write/experiment/asset/tag", AddTags).Documents<TagRequest>();
        api.MapGet("/write/experiment/asset/tag/delete", DeleteTag);
    }

    public sealed record UploadResponse(string Msg, string AssetId, string Api);

    public sealed record AssetDocument(
        string AssetId, string FileName, long FileSize, string? RunContext, long? Step, bool Remote, string Link, string? Dir,
        bool CanView, bool Audio, bool Histogram, bool Image, bool Video, string? Type, string? Metadata, List<string> Tags, long CreatedAt);

    public sealed record AssetsResponse(List<AssetDocument> Assets);

    public sealed record RemoteItem(string? AssetId, string? Type, string? FileName, string? Metadata, string? Link, string? ArtifactVersionId);

    public sealed record RemoteRequest(string? ExperimentKey, List<RemoteItem>? RemoteAssets);

    public sealed record TagRequest(string? ExperimentKey, string? AssetId, List<string>? Tags);

    public sealed record MessageResponse(string Msg);

    /// <summary>The file is the multipart part named <c>file</c>; everything else comes in the query string, as comet_ml sends it.</summary>
    public static async Task<UploadResponse> Upload(
        HttpContext http, string? experimentKey, string? fileName, string? extension, string? step, string? context, string? type,
        string? metadata, string? overwrite, string? groupingName, string? artifactVersionId,
        AssetRepository assets, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        var versionId = OptionalId(artifactVersionId, "Artifact version not found");
        var limit = options.Value.Blobs.MaxBytes;
        var file = await CometApi.ReadUploadAsync(http, limit, ct);
        var name = fileName ?? file.FileName;
        if (!string.IsNullOrEmpty(extension) && !name.EndsWith("." + extension.TrimStart('.'), StringComparison.Ordinal))
        {
            name += "." + extension.TrimStart('.');
        }
        long? stepNumber = step is null ? null : long.TryParse(step, out var parsed) ? parsed : throw CometException.BadRequest("step must be an integer");
        try
        {
            await using var content = file.OpenReadStream();
            var asset = await assets.UploadAsync(
                id, new AssetUpload(name, type ?? "asset", stepNumber, context, DecodeMetadata(metadata), file.ContentType,
                    groupingName, versionId),
                content, overwrite is "true" or "True", limit, ct);
            return new UploadResponse("Saved", asset.AssetId, Link(http, asset));
        }
        catch (BlobTooLargeException e)
        {
            throw new CometException(413, e.Message);
        }
    }

    public static async Task<MessageResponse> AddRemote(HttpContext http, string? experimentKey, AssetRepository assets, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<RemoteRequest>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey ?? experimentKey);
        var items = (request.RemoteAssets ?? throw CometException.MissingField("remoteAssets")).Select(r => new RemoteAsset(
            r.AssetId,
            r.FileName ?? throw CometException.MissingField("remoteAssets.fileName"),
            r.Type ?? "asset",
            r.Link ?? throw CometException.MissingField("remoteAssets.link"),
            r.Metadata,
            OptionalId(r.ArtifactVersionId, "Artifact version not found"))).ToList();
        await assets.AddRemoteAsync(id, items, ct);
        return new MessageResponse("Saved");
    }

    public static async Task<AssetsResponse> List(HttpContext http, string? experimentKey, string? type, AssetRepository assets, ExperimentRepository experiments, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        await experiments.GetAsync(id, ct);
        return new AssetsResponse([.. (await assets.ListAsync(id, type, ct)).Select(a => Describe(http, a))]);
    }

    public static AssetDocument Describe(HttpContext http, ExperimentAsset a) => new(
        a.AssetId, a.FileName, a.Size, a.Context, a.Step, a.RemoteLink is not null, Link(http, a), null,
        a.Type == "image", a.Type == "audio", a.Type == "histogram3d", a.Type == "image", a.Type == "video",
        a.Type, a.Metadata, a.Tags, CometMapping.Millis(a.CreatedAt));

    /// <summary>The stored bytes exactly as uploaded; a remote asset has none here (404).</summary>
    public static async Task<IResult> Download(string? experimentKey, string? assetId, AssetRepository assets, CancellationToken ct)
    {
        var asset = await assets.GetAsync(CometApi.ExperimentKey(experimentKey), assetId ?? throw CometException.MissingField("assetId"), ct);
        var opened = await assets.OpenAsync(asset, ct) ?? throw new CometException(404, "Asset has no stored content");
        return Results.Stream(opened.Content, opened.File.ContentType ?? "application/octet-stream", asset.FileName);
    }

    public static async Task<MessageResponse> Delete(string? experimentKey, string? assetId, AssetRepository assets, CancellationToken ct)
    {
        await assets.DeleteAsync(CometApi.ExperimentKey(experimentKey), assetId ?? throw CometException.MissingField("assetId"), ct);
        return new MessageResponse("Deleted");
    }

    public static async Task<MessageResponse> AddTags(HttpContext http, AssetRepository assets, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<TagRequest>(http);
        var tags = request.Tags ?? throw CometException.MissingField("tags");
        await assets.SetTagsAsync(CometApi.ExperimentKey(request.ExperimentKey), request.AssetId ?? throw CometException.MissingField("assetId"),
            current => [.. current.Union(tags)], ct);
        return new MessageResponse("Saved");
    }

    public static async Task<MessageResponse> DeleteTag(string? experimentKey, string? assetId, string? tag, AssetRepository assets, CancellationToken ct)
    {
        await assets.SetTagsAsync(CometApi.ExperimentKey(experimentKey), assetId ?? throw CometException.MissingField("assetId"),
            current => [.. current.Where(t => t != tag)], ct);
        return new MessageResponse("Deleted");
    }

    /// <summary>An id the client may leave out; one that is not an id names nothing (404 with <paramref name="notFound"/>).</summary>
    public static Guid? OptionalId(string? id, string notFound) =>
        id is null ? null : Guid.TryParse(id, out var parsed) ? parsed : throw new CometException(404, notFound);

    /// <summary>comet_ml sends asset metadata as base64-encoded JSON in the query string.</summary>
    private static string? DecodeMetadata(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata))
        {
            return null;
        }
        try
        {
            var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(metadata));
            using var _ = JsonDocument.Parse(json);
            return json;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw CometException.BadRequest("metadata must be base64-encoded JSON");
        }
    }

    public static string Link(HttpContext http, ExperimentAsset asset) =>
        asset.RemoteLink ?? $"{http.Request.Scheme}://{http.Request.Host}{CometApi.Prefix}/experiment/asset/get-asset?experimentKey={CometApi.Key(asset.ExperimentId)}&assetId={asset.AssetId}";
}
