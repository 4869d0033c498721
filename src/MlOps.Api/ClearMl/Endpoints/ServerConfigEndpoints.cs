using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>server.config</c> and <c>server.endpoints</c>: this server's settings without anything secret (ClearML leaves
/// out its <c>secure</c> section the same way), and the ClearML actions it answers.
/// </summary>
public static class ServerConfigEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("server.config", Config);
        api.MapAction("server.endpoints", Endpoints);
    }

    public sealed record ConfigRequest(string? Path);

    /// <summary>The settings that say how the server runs; keys, secrets, passwords and connection strings are never in it.</summary>
    public static JsonNode Config(ClearMlCall call, IOptions<MlOpsOptions> options)
    {
        var settings = options.Value;
        var config = new JsonObject
        {
            ["apiserver"] = new JsonObject { ["version"] = TokenService.ServerVersion, ["api_version"] = TokenService.ApiVersion },
            ["database"] = Section(new { settings.Database.Provider }),
            ["auth"] = Section(new { settings.Auth.TokenLifetimeSeconds, settings.Auth.LoginAttemptsPerMinute }),
            ["blobs"] = Section(new
            {
                settings.Blobs.Provider,
                settings.Blobs.MaxBytes,
                S3 = new { settings.Blobs.S3.ServiceUrl, settings.Blobs.S3.Bucket, settings.Blobs.S3.Region, settings.Blobs.S3.PartSizeBytes },
            }),
            ["limits"] = Section(settings.Limits),
            ["statistics"] = Section(settings.Statistics),
            ["webhooks"] = Section(settings.Webhooks),
            ["cors"] = Section(settings.Cors),
            ["web_ui"] = new JsonObject { ["enabled"] = settings.WebUi.Path is not null },
        };
        var path = call.Read<ConfigRequest>().Path;
        JsonNode? found = config;
        foreach (var key in string.IsNullOrEmpty(path) ? [] : path.Split('.'))
        {
            found = found is JsonObject node && node.TryGetPropertyValue(key, out var child) ? child
                : throw ClearMlException.Validation($"no configuration at path '{path}'");
        }
        return found ?? new JsonObject();
    }

    public sealed record EndpointVersion(string MinVersion, List<string> RequiredFields, object? RequestDataModel, object? ResponseDataModel);

    public sealed record EndpointsResponse(SortedDictionary<string, List<EndpointVersion>> Endpoints, Dictionary<string, object> Models);

    /// <summary>Every ClearML action this server answers; each answers at any version (see ClearML wire rules).</summary>
    public static EndpointsResponse Endpoints(IEnumerable<EndpointDataSource> sources)
    {
        var names = sources.SelectMany(s => s.Endpoints).Select(e => e.Metadata.GetMetadata<ClearMlEndpointName>()?.Name).OfType<string>().Distinct();
        return new EndpointsResponse(
            new SortedDictionary<string, List<EndpointVersion>>(names.ToDictionary(n => n, _ => new List<EndpointVersion> { new("1.0", [], null, null) }), StringComparer.Ordinal),
            []);
    }

    private static JsonNode Section<T>(T values) => JsonSerializer.SerializeToNode(values, ClearMlJson.Options)!;
}
