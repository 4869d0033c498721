using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Api.Platform;

namespace MlOps.Api.Clarifai;

/// <summary>
/// Clarifai's REST transport: each operation's routes, with the request assembled as Clarifai's gateway does from
/// the query (a repeated key is a list), the JSON body and the path's fields; the answer is written by the dialect.
/// </summary>
public static class ClarifaiRest
{
    public static void Map(RouteGroupBuilder group, ClarifaiForms form, IEnumerable<ClarifaiOperation> operations)
    {
        foreach (var operation in operations)
        {
            foreach (var route in operation.Routes.Where(r => r.Forms.HasFlag(form)))
            {
                var endpoint = group.MapMethods(route.Pattern, [route.Method], (Func<HttpContext, Task<ClarifaiReply>>)(http => RunAsync(http, operation)));
                if (route.Body is not null)
                {
                    endpoint.Documents(route.Body, ClarifaiJson.Documented);
                }
            }
        }
    }

    private static async Task<ClarifaiReply> RunAsync(HttpContext http, ClarifaiOperation operation) =>
        await operation.Run(new ClarifaiCall(ClarifaiApi.App(http), http.Caller().Identity, await RequestAsync(http), http.RequestServices, http.RequestAborted));

    /// <summary>Query fields (either casing; the app's own <c>user_app_id.*</c> left out), then the body's, then the path's.</summary>
    private static async Task<JsonObject> RequestAsync(HttpContext http)
    {
        var query = new Dictionary<string, List<string>>();
        foreach (var (key, values) in http.Request.Query)
        {
            var name = ClarifaiJson.SnakeCase(key);
            if (!name.Contains('.'))
            {
                query.TryAdd(name, []);
                query[name].AddRange(values.OfType<string>());
            }
        }
        var request = new JsonObject(query.Select(q => KeyValuePair.Create(q.Key, q.Value.Count == 1
            ? JsonValue.Create(q.Value[0])
            : (JsonNode?)new JsonArray([.. q.Value.Select(v => (JsonNode?)JsonValue.Create(v))]))));
        foreach (var (name, value) in await ClarifaiJson.ReadBodyAsync(http))
        {
            request[name] = value?.DeepClone();
        }
        foreach (var (name, value) in http.Request.RouteValues)
        {
            if (name is not ("user_id" or "app_id") && value is string text)
            {
                request[name] = text;
            }
        }
        return request;
    }
}
