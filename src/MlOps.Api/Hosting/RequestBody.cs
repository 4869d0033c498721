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
        byte[] bytes;
        if (http.Request.ContentLength is { } length and <= int.MaxValue)
        {
            // one allocation of the announced size, not a growing buffer and its copy (bodies of batches are megabytes)
            bytes = new byte[length];
            await http.Request.Body.ReadExactlyAsync(bytes, http.RequestAborted);
        }
        else
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            bytes = buffer.ToArray();
        }
        http.Items[Item] = bytes;
        return bytes;
    }
}
