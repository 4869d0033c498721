using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MlOps.Api.Hosting;

/// <summary>
/// Clarifai's gRPC clients speak plaintext HTTP/2 with prior knowledge, which an endpoint that also takes HTTP/1.1
/// cannot tell apart, so each URL in <c>MlOps:Clarifai:GrpcUrls</c> gets an HTTP/2-only endpoint. Endpoints set in
/// code replace the server's URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>), so those are
/// listened on here as well, as they were: nothing changes for REST (Kestrel still logs that it overrides them).
/// </summary>
public static class GrpcEndpoints
{
    private const string DefaultUrl = "http://localhost:5000";

    public static void ListenForClarifaiGrpc(this IWebHostBuilder web, ClarifaiOptions options)
    {
        if (options.GrpcUrls.Count == 0)
        {
            return;
        }
        var grpc = options.GrpcUrls.Select(url => Parse(url, "MlOps:Clarifai:GrpcUrls")).ToList();
        if (grpc.FirstOrDefault(g => g.Scheme != "http") is { } secure)
        {
            throw new InvalidOperationException($"MlOps:Clarifai:GrpcUrls: {secure} must be a plaintext http:// URL");
        }
        var rest = ServerUrls(web).Select(url => Parse(url, "the server URLs")).ToList();
        web.ConfigureKestrel(kestrel =>
        {
            rest.ForEach(url => Listen(kestrel, url, null));
            grpc.ForEach(url => Listen(kestrel, url, HttpProtocols.Http2));
        });
    }

    private static IEnumerable<string> ServerUrls(IWebHostBuilder web)
    {
        var split = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
        if (web.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } urls)
        {
            return urls.Split(';', split);
        }
        return web.GetSetting(WebHostDefaults.HttpPortsKey) is { Length: > 0 } ports
            ? ports.Split(';', split).Select(port => $"http://*:{port}")
            : [DefaultUrl];
    }

    private static BindingAddress Parse(string url, string setting)
    {
        try
        {
            return BindingAddress.Parse(url);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{setting}: {url} is not a URL like http://0.0.0.0:18080", e);
        }
    }

    /// <summary>Listens on the URL; with <paramref name="protocols"/> null, with Kestrel's defaults (as the server's URLs always did).</summary>
    private static void Listen(KestrelServerOptions kestrel, BindingAddress url, HttpProtocols? protocols)
    {
        void Configure(ListenOptions listen)
        {
            if (protocols is { } only)
            {
                listen.Protocols = only;
            }
            if (url.Scheme == "https")
            {
                listen.UseHttps();
            }
        }
        if (url.Host is "*" or "+" or "0.0.0.0" or "[::]")
        {
            kestrel.ListenAnyIP(url.Port, Configure);
        }
        else if (url.Host == "localhost")
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
        else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, url.Port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(url.Port, Configure);
        }
    }
}
