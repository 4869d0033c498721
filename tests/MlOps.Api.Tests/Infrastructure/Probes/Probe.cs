using System.Net.Http.Headers;
using System.Text;

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// A realistic, valid request to one route, as that route's own tests send it, written with a world's placeholders:
/// aimed at its own world it succeeds (<see cref="Expect"/> names the status when success is not 2xx), so aimed at
/// another workspace's world it reaches the store. <see cref="Path"/> overrides the path made from the route pattern
/// (whose parameters take the world's value of the same name, or <see cref="PathValues"/>).
/// </summary>
public sealed record Probe(string Route, string? Body = null, string? Query = null)
{
    public string? Path { get; init; }
    public IReadOnlyDictionary<string, string>? PathValues { get; init; }
    public string ContentType { get; init; } = "application/json";
    /// <summary>The parts of a multipart upload (name, file name or null for a field, content); replaces <see cref="Body"/>.</summary>
    public IReadOnlyList<(string Name, string? FileName, string Content)>? Multipart { get; init; }
    /// <summary>It revokes the caller's token, so the caller signs in again before its next call.</summary>
    public bool SignsOut { get; init; }
    /// <summary>The status its own world gets when that is not a 2xx (an endpoint that always refuses, say), and why.</summary>
    public int? Expect { get; init; }
    public string? Why { get; init; }

    public string Method => Route[..Route.IndexOf(' ')];
    public string Pattern => Route[(Route.IndexOf(' ') + 1)..];

    /// <summary>The request aimed at <paramref name="target"/>'s objects; the caller's credentials are added by the sender.</summary>
    public HttpRequestMessage Build(World target)
    {
        var path = Path is not null
            ? target.Fill(Path)
            : new RouteCase(Method, Pattern, Surface.ClearMl).Path(name => target.Fill(PathValues?.GetValueOrDefault(name) ?? DefaultPathValue(name)));
        var query = Query is null ? "" : "?" + target.Fill(Query);
        var request = new HttpRequestMessage(new HttpMethod(Method), path + query);
        if (Multipart is not null)
        {
            var form = new MultipartFormDataContent();
            foreach (var (name, fileName, content) in Multipart)
            {
                var part = new StringContent(target.Fill(content));
                if (fileName is null)
                {
                    form.Add(part, target.Fill(name));
                }
                else
                {
                    form.Add(part, target.Fill(name), target.Fill(fileName));
                }
            }
            request.Content = form;
        }
        else if (Body is not null)
        {
            request.Content = new StringContent(target.Fill(Body), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        }
        return request;
    }

    /// <summary>Route parameters named as the world names its objects; a few surfaces use other names for them.</summary>
    private static string DefaultPathValue(string name) => name switch
    {
        "user_id" => "me",
        "app_id" => "$projectName",
        _ => "$" + name,
    };
}
