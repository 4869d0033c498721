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
        var body = new JsonObject
        {
            ["meta"] = new JsonObject
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
            },
            ["data"] = data is null ? new JsonObject() : JsonSerializer.SerializeToNode(data, ClearMlJson.Options),
        };
        return Results.Json(body, ClearMlJson.Options, "application/json", code);
    }

    /// <summary>A version above the latest (the web UI asks for 999.0) is served by the latest.</summary>
    private static string ActualVersion(string requested) =>
        decimal.TryParse(requested, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var asked)
        && asked > decimal.Parse(LatestVersion, System.Globalization.CultureInfo.InvariantCulture) ? LatestVersion : requested;

    private static string EndpointNameFromPath(HttpContext http) => http.Request.Path.Value?.Trim('/') ?? "";
}

/// <summary>Endpoint metadata: the <c>service.action</c> name echoed in <c>meta.endpoint.name</c>.</summary>
public sealed record ClearMlEndpointName(string Name);
