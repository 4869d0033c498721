using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MlOps.Api.Hosting;
using MlOps.Data.Blobs;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML's files server on the API port under <c>/files</c> (set <c>CLEARML_FILES_HOST</c> to
/// <c>http://host:port/files</c>): the SDK uploads with a multipart POST to the base URL, one part whose
/// name is the object path, and reads, probes and deletes at <c>/files/{path}</c>. Bytes go to the blob store.
/// </summary>
public static class FilesEndpoints
{
    public const string Prefix = "/files";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost(Prefix, Upload).WithMetadata(new ClearMlEndpointName("files.upload"));
        api.MapMethods(Prefix + "/{**path}", ["GET", "HEAD"], Download).WithMetadata(new ClearMlEndpointName("files.download"));
        api.MapDelete(Prefix + "/{**path}", Delete).WithMetadata(new ClearMlEndpointName("files.delete"));
    }

    public sealed record UploadResponse(List<string> Uploaded);

    public static async Task<UploadResponse> Upload(HttpContext http, FileRepository files, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var limit = options.Value.Blobs.MaxBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }
        var boundary = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary))
        {
            throw ClearMlException.Validation("expected a multipart/form-data upload");
        }
        var reader = new MultipartReader(boundary, http.Request.Body);
        var uploaded = new List<string>();
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }
                var path = Normalize(HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value);
                await files.PutAsync(path, section.Body, section.ContentType, limit, ct);
                uploaded.Add(path);
            }
        }
        catch (BlobTooLargeException e)
        {
            throw new ClearMlException(413, 0, e.Message);
        }
        catch (IOException e) when (e.InnerException is null && e.Message.Contains("boundary", StringComparison.OrdinalIgnoreCase))
        {
            throw ClearMlException.Validation("malformed multipart body");
        }
        return uploaded.Count > 0 ? new UploadResponse(uploaded) : throw ClearMlException.Validation("the upload holds no file part");
    }

    public static async Task<IResult> Download(string path, HttpContext http, FileRepository files, CancellationToken ct)
    {
        var file = await files.FindAsync(Normalize(path), ct) ?? throw NotFound(path);
        var contentType = file.ContentType ?? "application/octet-stream";
        if (HttpMethods.IsHead(http.Request.Method))
        {
            await files.RequireContentAsync(file, ct);
            http.Response.ContentLength = file.Size;
            http.Response.ContentType = contentType;
            return Results.Empty;
        }
        return Results.Stream(await files.OpenAsync(file, ct), contentType, enableRangeProcessing: true);
    }

    public static async Task<object> Delete(string path, FileRepository files, CancellationToken ct) =>
        await files.DeleteAsync(Normalize(path), ct) ? new { deleted = true } : throw NotFound(path);

    private static string Normalize(string? path)
    {
        var trimmed = NulGuard.ThrowIfIn(Uri.UnescapeDataString(path ?? "").Trim('/'));
        return trimmed.Length > 0 && !trimmed.Split('/').Any(s => s is "" or "." or "..")
            ? trimmed
            : throw ClearMlException.Validation($"invalid file path '{path}'");
    }

    private static ClearMlException NotFound(string path) => new(404, 0, $"file not found: {path}");
}
