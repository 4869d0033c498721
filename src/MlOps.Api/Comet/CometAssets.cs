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
        api.MapPost("/write/artifact/assets/remote/batch", AddArtifactRemote).Documents<ArtifactRemoteRequest>();
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

    public sealed record RemoteItem(string? AssetId, string? Type, string? FileName, string? Metadata, string? Link, string? ArtifactVersionId, long? Step);

    public sealed record RemoteRequest(string? ExperimentKey, List<RemoteItem>? RemoteAssets);

    /// <summary>comet_ml's batch of an artifact's remote files (experiment key in the query string).</summary>
    public sealed record ArtifactRemoteRequest(List<RemoteItem>? RemoteArtifactAssetRequests);

    public sealed record TagRequest(string? ExperimentKey, string? AssetId, List<string>? Tags);

    public sealed record MessageResponse(string Msg);

    /// <summary>
    /// The file is the multipart part named <c>file</c>; with <c>isRemote</c> there is no file but a <c>link</c> part
    /// (a remote asset). Metadata is a <c>metadata</c> part (JSON) or base64-encoded JSON in the query string; every
    /// other option comes in the query string, as comet_ml sends it.
    /// </summary>
    public static async Task<UploadResponse> Upload(
        HttpContext http, string? experimentKey, string? fileName, string? extension, string? step, string? context, string? type,
        string? metadata, string? overwrite, string? groupingName, string? artifactVersionId, string? isRemote, string? assetId,
        AssetRepository assets, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        var versionId = OptionalId(artifactVersionId, "Artifact version not found");
        var limit = options.Value.Blobs.MaxBytes;
        var form = await CometApi.ReadFormAsync(http, limit, ct);
        var assetMetadata = await PartTextAsync(form, "metadata", ct) is { } part ? JsonMetadata(part) : DecodeMetadata(metadata);
        long? stepNumber = string.IsNullOrEmpty(step) ? null : long.TryParse(step, out var parsed) ? parsed : throw CometException.BadRequest("step must be an integer");
        // comet_ml chooses the id (and sends it again when it retries, which then replaces rather than duplicates).
        if (assetId is not null && !Guid.TryParseExact(assetId, "N", out _))
        {
            throw CometException.BadRequest("assetId must be 32 hexadecimal digits");
        }
        if (CometMapping.Flag(isRemote, "isRemote") == true)
        {
            var link = await PartTextAsync(form, "link", ct) ?? throw CometException.MissingField("link");
            var remote = await assets.AddRemoteAsync(id, [new RemoteAsset(
                assetId, fileName ?? throw CometException.MissingField("fileName"), type ?? "asset", link, assetMetadata, versionId, stepNumber)], ct);
            return new UploadResponse("Saved", remote[0].AssetId, link);
        }
        var file = form.Files["file"] ?? throw CometException.MissingField("file");
        var name = fileName ?? file.FileName;
        if (!string.IsNullOrEmpty(extension) && !name.EndsWith("." + extension.TrimStart('.'), StringComparison.Ordinal))
        {
            name += "." + extension.TrimStart('.');
        }
        try
        {
            await using var content = file.OpenReadStream();
            var asset = await assets.UploadAsync(
                id, new AssetUpload(name, type ?? "asset", stepNumber, context, assetMetadata, file.ContentType, groupingName, versionId, assetId),
                content, CometMapping.Flag(overwrite, "overwrite") == true, limit, ct);
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
        return await AddRemoteAsync(request.ExperimentKey ?? experimentKey, request.RemoteAssets, "remoteAssets", assets, ct);
    }

    public static async Task<MessageResponse> AddArtifactRemote(HttpContext http, string? experimentKey, AssetRepository assets, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<ArtifactRemoteRequest>(http);
        return await AddRemoteAsync(experimentKey, request.RemoteArtifactAssetRequests, "remoteArtifactAssetRequests", assets, ct);
    }

    private static async Task<MessageResponse> AddRemoteAsync(
        string? experimentKey, List<RemoteItem>? remotes, string field, AssetRepository assets, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        var items = (remotes ?? throw CometException.MissingField(field)).Select(r => new RemoteAsset(
            r.AssetId,
            r.FileName ?? throw CometException.MissingField($"{field}.fileName"),
            r.Type ?? "asset",
            r.Link ?? throw CometException.MissingField($"{field}.link"),
            JsonMetadata(r.Metadata),
            OptionalId(r.ArtifactVersionId, "Artifact version not found"),
            r.Step)).ToList();
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

    /// <summary>A text part: a plain field, or a file part (comet_ml sends a remote asset's <c>link</c> as one, named "link").</summary>
    private static async Task<string?> PartTextAsync(IFormCollection form, string name, CancellationToken ct)
    {
        if (form[name] is { Count: > 0 } field)
        {
            return field.ToString();
        }
        if (form.Files[name] is not { } file)
        {
            return null;
        }
        using var reader = new StreamReader(file.OpenReadStream(), System.Text.Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }

    /// <summary>Metadata in the query string is base64-encoded JSON.</summary>
    private static string? DecodeMetadata(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata))
        {
            return null;
        }
        try
        {
            return JsonMetadata(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(metadata)));
        }
        catch (FormatException)
        {
            throw CometException.BadRequest("metadata must be base64-encoded JSON");
        }
    }

    /// <summary>Metadata is kept as the JSON text it came as; text that is not JSON is refused.</summary>
    public static string? JsonMetadata(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            using var _ = JsonDocument.Parse(json);
            return json;
        }
        catch (JsonException)
        {
            throw CometException.BadRequest("metadata must be JSON");
        }
    }

    public static string Link(HttpContext http, ExperimentAsset asset) =>
        asset.RemoteLink ?? $"{http.Request.Scheme}://{http.Request.Host}{CometApi.Prefix}/experiment/asset/get-asset?experimentKey={CometApi.Key(asset.ExperimentId)}&assetId={asset.AssetId}";
}
