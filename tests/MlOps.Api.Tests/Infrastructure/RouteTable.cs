using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MlOps.Api.Tests.Infrastructure;

public enum Surface
{
    ClearMl,
    Comet,
    ZenMl,
    Clarifai,
    Mlflow,
    Operations,
}

/// <summary>One mapped endpoint: a method and a route pattern, and the surface (so the credential) it belongs to.</summary>
public sealed partial record RouteCase(string Method, string Pattern, Surface Surface)
{
    public override string ToString() => $"{Method} {Pattern}";

    [GeneratedRegex(@"\{\*{0,2}(?<name>\w+)(:[^}]*)?\}")]
    private static partial Regex Parameter();

    /// <summary>The path with each route parameter replaced by what <paramref name="value"/> gives for its name.</summary>
    public string Path(Func<string, string> value) => Parameter().Replace(Pattern, m => Uri.EscapeDataString(value(m.Groups["name"].Value)).Replace("%2F", "/"));
}

/// <summary>Credentials of one workspace's user for every surface.</summary>
public sealed record Caller(string ClearMlToken, string ApiKey)
{
    public void Authorize(HttpRequestMessage request, Surface surface)
    {
        switch (surface)
        {
            case Surface.ClearMl or Surface.ZenMl:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClearMlToken);
                break;
            case Surface.Comet:
                request.Headers.TryAddWithoutValidation("Authorization", ApiKey);
                break;
            case Surface.Clarifai:
                request.Headers.Authorization = new AuthenticationHeaderValue("Key", ApiKey);
                break;
            case Surface.Mlflow:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
                break;
        }
    }
}

/// <summary>
/// Every endpoint the server maps, read from its own routing table, so that a new endpoint is probed without anyone
/// listing it. ClearML's catch-all for unknown actions is left out (it is probed by any unknown name), and so are the
/// gRPC methods (Clarifai's, whose isolation <c>ClarifaiGrpcTests</c> proves on the gRPC transport).
/// </summary>
public static class RouteTable
{
    public static IReadOnlyList<RouteCase> Of(MlOpsFactory factory) =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw != "/{service}.{action}")
            .Where(e => e.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>() is null && !e.RoutePattern.RawText!.Contains(":grpcunimplemented"))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new RouteCase(method, "/" + e.RoutePattern.RawText!.TrimStart('/'), SurfaceOf(e.RoutePattern.RawText!))))
            .Distinct()
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];

    private static Surface SurfaceOf(string pattern)
    {
        var path = "/" + pattern.TrimStart('/');
        return path is "/clientlib/isAlive/ver" or "/clientlib/health/ping" ? Surface.Operations // answered to anyone
            : path.StartsWith("/api/rest/v2", StringComparison.Ordinal) || path.StartsWith("/clientlib", StringComparison.Ordinal) ? Surface.Comet
            : path.StartsWith("/api/v1", StringComparison.Ordinal) ? Surface.ZenMl
            : path.StartsWith("/api/2.0/", StringComparison.Ordinal) || path.StartsWith("/ajax-api/2.0/", StringComparison.Ordinal)
                || path.StartsWith("/mlflow/", StringComparison.Ordinal) || path is "/get-artifact" or "/model-versions/get-artifact" ? Surface.Mlflow
            : path.StartsWith("/v2", StringComparison.Ordinal) ? Surface.Clarifai
            : path.StartsWith("/health", StringComparison.Ordinal) || path.StartsWith("/swagger", StringComparison.Ordinal) || path == "/metrics" ? Surface.Operations
            : Surface.ClearMl;
    }
}
