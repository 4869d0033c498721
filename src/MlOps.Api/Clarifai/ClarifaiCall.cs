using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Clarifai;

/// <summary>
/// One Clarifai operation as both transports run it: the app it acts on, the caller, and the request in Clarifai's
/// JSON form (proto field names, snake_case), which REST builds from the path, the query and the body, and gRPC from
/// the request message. Operations read the request only through it, so both transports take the same values.
/// </summary>
public sealed class ClarifaiCall(Project app, Identity caller, JsonObject request, IServiceProvider services, CancellationToken aborted)
{
    public Project App { get; } = app;
    public Identity Caller { get; } = caller;
    public JsonObject Request { get; } = request;
    public CancellationToken Aborted { get; } = aborted;

    public T Service<T>() where T : notnull => services.GetRequiredService<T>();

    public string? Text(string field) => ClarifaiJson.Text(Request, field);

    /// <summary>A list of strings: an array, or one string (a query parameter given once); empty strings are skipped.</summary>
    public List<string> Strings(string field) => Request[field] switch
    {
        null => [],
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } one ? [one] : [],
        JsonArray a => [.. a.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>() : throw ClarifaiException.Invalid($"{field} must be a list of strings")).Where(s => s.Length > 0)],
        _ => throw ClarifaiException.Invalid($"{field} must be a list of strings"),
    };

    public bool Flag(string field) => ClarifaiJson.Flag(Request, field);

    /// <summary>Page numbers start at 1 (0 is 1); pages hold 128 items unless asked, at most 1,000.</summary>
    public (int Page, int PerPage) Paging()
    {
        int Read(string field, int fallback)
        {
            // A number in a message, its text in a query.
            var text = Request[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Request[field]?.ToJsonString();
            return string.IsNullOrEmpty(text) ? fallback
                : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw ClarifaiException.Invalid($"{field} must be a non-negative integer");
        }
        var page = Math.Max(1, Read("page", 1));
        var perPage = Read("per_page", 128);
        return (page, Math.Clamp(perPage == 0 ? 128 : perPage, 1, 1000));
    }
}

/// <summary>
/// One operation of Clarifai's API: its gRPC method name, its REST routes (none when it is served on gRPC only), and
/// what it does. Both transports are mapped from the same table.
/// </summary>
public sealed record ClarifaiOperation(string Rpc, Func<ClarifaiCall, Task<ClarifaiReply>> Run, params ClarifaiRoute[] Routes);

/// <summary>
/// A REST route of an operation, relative to the route forms it is served on (<c>/v2</c> and
/// <c>/v2/users/{user_id}/apps/{app_id}</c> unless it says otherwise), with the body type Swagger shows.
/// </summary>
public sealed record ClarifaiRoute(string Method, string Pattern, Type? Body = null, ClarifaiForms Forms = ClarifaiForms.Both);

/// <summary>Clarifai's route prefixes: <c>/v2</c>, <c>/v2/users/{user_id}/apps/{app_id}</c> and (for apps) <c>/v2/users/{user_id}</c>.</summary>
[Flags]
public enum ClarifaiForms
{
    Short = 1,
    App = 2,
    User = 4,
    Both = Short | App,
}
