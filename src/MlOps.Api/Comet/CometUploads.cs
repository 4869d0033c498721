using System.Text.Json;
using MlOps.Data.Blobs;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>What an asset upload says about itself, from the query string (comet_ml's names).</summary>
public sealed record UploadFields(
    string? AssetId, string? FileName, string? Extension, string? Type, string? Step, string? Context, string? Overwrite,
    string? GroupingName, Guid? ArtifactVersionId, string? Metadata);

/// <summary>
/// One asset upload as comet_ml sends it to either surface: a multipart form whose <c>file</c> part holds the bytes
/// (or whose <c>link</c> field names a remote asset), with the asset's metadata as a <c>metadata</c> part (JSON) or
/// in the query string (base64-encoded JSON).
/// </summary>
public static class CometUploads
{
    public static async Task<CometAssets.UploadResponse> SaveAsync(
        HttpContext http, Guid experimentId, UploadFields fields, AssetRepository assets, long limit, CancellationToken ct)
    {
        var form = await CometApi.ReadFormAsync(http, limit, ct);
        var metadata = form["metadata"].ToString() is { Length: > 0 } part ? Json(part) : Base64Json(fields.Metadata);
        long? step = string.IsNullOrEmpty(fields.Step) ? null
            : long.TryParse(fields.Step, out var parsed) ? parsed : throw CometException.BadRequest("step must be an integer");
        var assetId = fields.AssetId is null ? null
            : Guid.TryParseExact(fields.AssetId, "N", out _) ? fields.AssetId : throw CometException.BadRequest("assetId must be 32 hexadecimal digits");
        if (form.Files["file"] is not { } file)
        {
            var link = await LinkAsync(form) ?? throw CometException.MissingField("file");
            var remote = await assets.AddRemoteAsync(experimentId,
                [new RemoteAsset(assetId, fields.FileName ?? link, fields.Type ?? "asset", link, metadata, fields.ArtifactVersionId)], ct);
            return new CometAssets.UploadResponse("Saved", remote[0].AssetId, CometAssets.Link(http, remote[0]));
        }
        var name = fields.FileName ?? file.FileName;
        if (!string.IsNullOrEmpty(fields.Extension) && !name.EndsWith("." + fields.Extension.TrimStart('.'), StringComparison.Ordinal))
        {
            name += "." + fields.Extension.TrimStart('.');
        }
        try
        {
            await using var content = file.OpenReadStream();
            var asset = await assets.UploadAsync(
                experimentId,
                new AssetUpload(name, fields.Type ?? "asset", step, fields.Context, metadata, file.ContentType, fields.GroupingName, fields.ArtifactVersionId, assetId),
                content, fields.Overwrite is "true" or "True", limit, ct);
            return new CometAssets.UploadResponse("Saved", asset.AssetId, CometAssets.Link(http, asset));
        }
        catch (BlobTooLargeException e)
        {
            throw new CometException(413, e.Message);
        }
    }

    /// <summary>A remote asset's address: a plain field, or (as comet_ml's multipart encoder sends it) a part named <c>link</c>.</summary>
    private static async Task<string?> LinkAsync(IFormCollection form)
    {
        if (form["link"].ToString() is { Length: > 0 } field)
        {
            return field;
        }
        if (form.Files["link"] is not { } part)
        {
            return null;
        }
        using var reader = new StreamReader(part.OpenReadStream());
        return await reader.ReadToEndAsync() is { Length: > 0 } text ? text : null;
    }

    private static string Json(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return text;
        }
        catch (JsonException)
        {
            throw CometException.BadRequest("metadata must be JSON");
        }
    }

    /// <summary>The REST API's <c>metadata</c> query parameter: base64-encoded JSON.</summary>
    private static string? Base64Json(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata))
        {
            return null;
        }
        try
        {
            return Json(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(metadata)));
        }
        catch (FormatException)
        {
            throw CometException.BadRequest("metadata must be base64-encoded JSON");
        }
    }
}
