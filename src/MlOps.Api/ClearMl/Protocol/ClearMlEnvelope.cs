using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlOps.Api.ClearMl;

/// <summary>The one writer of ClearML's <c>{"meta": {...}, "data": {...}}</c> envelope, for success and error alike.</summary>
public static class ClearMlEnvelope
{
    public const string LatestVersion = Auth.TokenService.ApiVersion;

    public static IResult Ok(HttpContext http, object? data) => Write(http, 200, 0, "OK", data);

    public static IResult Error(HttpContext http, ClearMlException error) =>
        Write(http, error.Code, error.Subcode, error.Message, null);

    private static IResult Write(HttpContext http, int code, int subcode, string message, object? data)
    {
        var name = http.GetEndpoint()?.Metadata.GetMetadata<ClearMlEndpointName>()?.Name ?? EndpointNameFromPath(http);
        var requested = http.Items[ClearMlCall.VersionItem] as string ?? LatestVersion;
        var id = Guid.NewGuid().ToString("N");
        var meta = new JsonObject
        {
            ["id"] = id,
            ["trx"] = id,
            ["endpoint"] = new JsonObject
            {
                ["name"] = name,
                ["requested_version"] = requested,
                ["actual_version"] = ActualVersion(requested),
            },
            ["result_code"] = code,
            ["result_subcode"] = subcode,
            ["result_msg"] = message,
            ["error_stack"] = null,
            ["error_data"] = new JsonObject(),
        };
        return new Envelope(code, meta, data);
    }

    /// <summary>
    /// Writes the envelope straight to the response: the data is serialized once, into the body, rather than first into
    /// a document (a large answer, such as 100 curves of 1,000 points, would otherwise exist twice in memory).
    /// </summary>
    private sealed class Envelope(int code, JsonObject meta, object? data) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = code;
            http.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, new JsonWriterOptions { Encoder = ClearMlJson.Options.Encoder });
            writer.WriteStartObject();
            writer.WritePropertyName("meta");
            meta.WriteTo(writer, ClearMlJson.Options);
            writer.WritePropertyName("data");
            if (data is null)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                JsonSerializer.Serialize(writer, data, ClearMlJson.Options);
            }
            writer.WriteEndObject();
            await writer.FlushAsync();
        }
    }

    /// <summary>A version above the latest (the web UI asks for 999.0) is served by the latest.</summary>
    private static string ActualVersion(string requested) =>
        decimal.TryParse(requested, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var asked)
        && asked > decimal.Parse(LatestVersion, System.Globalization.CultureInfo.InvariantCulture) ? LatestVersion : requested;

    private static string EndpointNameFromPath(HttpContext http) => http.Request.Path.Value?.Trim('/') ?? "";
}

/// <summary>Endpoint metadata: the <c>service.action</c> name echoed in <c>meta.endpoint.name</c>.</summary>
public sealed record ClearMlEndpointName(string Name);
