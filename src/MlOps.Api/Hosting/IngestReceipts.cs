using System.Security.Cryptography;
using System.Text;

namespace MlOps.Api.Hosting;

/// <summary>
/// What recognises a report request sent again: the digest of its route and body. Reports stored under a digest are
/// not stored again (<see cref="Data.Metrics.MetricsStore"/>), so a client's or a proxy's retry after a lost answer
/// adds nothing; the same request made on purpose within the receipts' lifetime (a day) counts once too.
/// </summary>
public static class IngestReceipts
{
    public static async Task<string> OfAsync(HttpContext http)
    {
        var body = await RequestBody.BytesAsync(http);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(http.Request.Method + " " + http.Request.Path.Value + "\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
