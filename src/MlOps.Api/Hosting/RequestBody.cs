namespace MlOps.Api.Hosting;

/// <summary>
/// A JSON request body read whole once and kept for the request, so that every reader (the workspace switch, the
/// handler, the handler run again after a write conflict) sees the same bytes. Uploads stream instead.
/// </summary>
public static class RequestBody
{
    private const string Item = "mlops.request_body";

    public static async Task<byte[]> BytesAsync(HttpContext http)
    {
        if (http.Items[Item] is byte[] kept)
        {
            return kept;
        }
        // Sized from Content-Length when given (batches are megabytes): no growing buffer. Only a hint: a compressed body
        // is longer once decompressed, and a length over the body limit is refused by the first read, not allocated.
        var limit = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0;
        using var buffer = new MemoryStream(http.Request.ContentLength is { } length and > 0 and <= int.MaxValue && length <= limit ? (int)length : 0);
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var bytes = buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
        http.Items[Item] = bytes;
        return bytes;
    }
}
