using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>Request bodies as comet_ml sends its batches and console output: JSON, gzip-compressed.</summary>
public static class Gzip
{
    public static byte[] Compress(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }

    public static byte[] Decompress(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
        {
            gzip.CopyTo(output);
        }
        return output.ToArray();
    }

    /// <summary>The body as JSON with comet_ml's content type, compressed (and marked so) when <paramref name="compress"/>.</summary>
    public static ByteArrayContent Json(object body, bool compress = true)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(body);
        var content = new ByteArrayContent(compress ? Compress(json) : json);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json;charset=utf-8");
        if (compress)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        return content;
    }
}
