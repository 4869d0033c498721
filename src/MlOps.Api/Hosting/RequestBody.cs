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
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var bytes = buffer.ToArray();
        http.Items[Item] = bytes;
        return bytes;
    }
}
