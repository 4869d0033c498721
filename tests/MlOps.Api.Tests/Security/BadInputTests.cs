using System.Net;
using System.Text;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Api.Tests.Infrastructure.Probes;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// Every endpoint of every surface, from the server's route table, fed malformed input: the answer is that surface's
/// 4xx, never a 5xx. CI sends a few probes per endpoint; <c>MLOPS_FULL_MATRIX=1</c> sends all of them.
/// </summary>
public abstract class BadInputTests(IServerFixture fixture)
{
    private static readonly bool Full = Environment.GetEnvironmentVariable("MLOPS_FULL_MATRIX") == "1";

    private static readonly string Deep = new string('[', 5000) + new string(']', 5000);
    private static readonly string Huge = new('x', 100_000);

    /// <summary>Bodies no client should send: broken and mistyped JSON, extremes, and text that is not JSON at all.</summary>
    private static readonly (string Name, string ContentType, string Body)[] Probes =
    [
        ("invalid JSON", "application/json", "{\"name\": "),
        ("wrong field types", "application/json",
            "{\"task\": 12, \"id\": {\"a\": 1}, \"ids\": \"x\", \"name\": [1], \"project\": true, \"tags\": 5, \"experimentKey\": [], \"values\": 7, \"annotations\": \"a\", \"inputs\": 1, \"metrics\": \"m\", \"page\": \"one\"}"),
        ("empty body", "application/json", ""),
        ("a JSON array", "application/json", "[1, 2, 3]"),
        ("null", "application/json", "null"),
        ("huge and non-finite numbers", "application/json",
            "{\"iteration\": 1e400, \"step\": -1e400, \"value\": 1e400, \"size\": 99999999999999999999, \"page\": -5, \"page_size\": 1e9, \"epoch\": 1e400}"),
        ("NaN and Infinity", "application/json", "{\"value\": NaN, \"step\": Infinity}"),
        ("100 KB strings", "application/json", $"{{\"name\": \"{Huge}\", \"task\": \"{Huge}\", \"id\": \"{Huge}\", \"experimentKey\": \"{Huge}\", \"project\": \"{Huge}\"}}"),
        ("deeply nested JSON", "application/json", Deep),
        ("not JSON", "text/plain", "hello"),
        ("malformed JSON lines", "application/json-lines", "{\"type\": \"training_stats_scalar\"}\n{broken\n"),
        ("form body", "application/x-www-form-urlencoded", "name=x&task=y"),
    ];

    [Fact]
    public async Task No_endpoint_answers_bad_input_with_a_5xx()
    {
        var caller = await NewCallerAsync();
        var routes = RouteTable.Of(fixture.Factory);
        Assert.True(routes.Count > 300, $"the route table looks incomplete: {routes.Count} routes");
        var http = fixture.Factory.CreateClient();
        var failures = new List<string>();
        var probes = Full ? Probes : Probes[..5];
        var sent = 0;
        foreach (var route in routes)
        {
            var path = route.Path(name => name switch { "user_id" => "me", "app_id" => "default", _ => Guid.NewGuid().ToString("N") });
            foreach (var (name, contentType, body) in probes)
            {
                foreach (var query in new[] { "", "?experimentKey=" + Uri.EscapeDataString("not a key") + "&page=-1&size=abc&ids=%00" })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(route.Method), path + query);
                    if (route.Method is not ("GET" or "HEAD") || route.Surface == Surface.ClearMl)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8);
                        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                    }
                    caller.Authorize(request, route.Surface);
                    using var response = await http.SendAsync(request);
                    sent++;
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{route} with {name}{(query.Length > 0 ? " and a bad query" : "")}: {(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync())}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} probes over {routes.Count} routes got a 5xx:\n{string.Join("\n", failures.Take(60))}");
    }

    /// <summary>
    /// Every route's realistic request (<see cref="ProbeCatalog"/>) on the caller's own objects, once with a NUL character
    /// added to every string of its body and query, once with every string of its body that is not an object's id made
    /// 100,000 characters long: never a 5xx, and whatever is answered, no NUL is stored.
    /// </summary>
    [Fact]
    public async Task Realistic_requests_with_NUL_characters_or_huge_strings_are_refused_or_answered_never_stored_with_NUL()
    {
        var factory = fixture.Factory;
        var http = factory.CreateClient();
        var routes = ProbeCatalog.Probed(RouteTable.Of(factory)).Where(r => ProbeCatalog.For(r) is not null).ToList();
        var failures = new List<string>();
        World? world = null;
        foreach (var route in routes)
        {
            var probe = ProbeCatalog.For(route)!;
            world ??= await World.SeedAsync(factory);
            world.WorkspaceId = world.WorkspaceId == Guid.Empty ? await TenantRows.WorkspaceIdAsync(factory, world["workspace"]) : world.WorkspaceId;
            foreach (var (kind, mutate) in new (string, Func<string, string>)[] { ("NUL", s => s + "\u0000"), ("100 KB strings", s => new string('x', 100_000)) })
            {
                using var request = await MutatedAsync(probe.Build(world), kind == "NUL", mutate, world);
                world.Caller.Authorize(request, route.Surface);
                using var response = await http.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{route} with {kind}: {(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync())}");
                }
                else if (kind == "NUL" && response.IsSuccessStatusCode && (await TenantRows.FingerprintAsync(factory, world.WorkspaceId)).Contains("\u0000", StringComparison.Ordinal))
                {
                    failures.Add($"{route} with NUL: {(int)response.StatusCode}, and a NUL was stored");
                }
            }
            if (!ProbeCatalog.IsRead(route) || probe.SignsOut)
            {
                world = null; // the next route's probes get an untouched world
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {routes.Count * 2} probes failed:\n{string.Join("\n", failures.Take(60))}");
    }

    /// <summary>The request with each string of its JSON or form body and each query value changed; ids stay (a huge id proves nothing).</summary>
    private static async Task<HttpRequestMessage> MutatedAsync(HttpRequestMessage request, bool queryToo, Func<string, string> mutate, World world)
    {
        var ids = world.Values.Values.ToHashSet();
        if (queryToo && request.RequestUri!.OriginalString.IndexOf('?') is var q and > 0)
        {
            var uri = request.RequestUri.OriginalString;
            var query = string.Join("&", uri[(q + 1)..].Split('&').Select(pair => pair + "%00"));
            request.RequestUri = new Uri(uri[..q] + "?" + query, UriKind.Relative);
        }
        if (request.Content is StringContent content && content.Headers.ContentType?.MediaType is { } type)
        {
            var text = await content.ReadAsStringAsync();
            string? changed = null;
            if (type.Contains("json") && ParsedOrNull(text) is { } node)
            {
                changed = Rewrite(node, s => ids.Contains(s) && !queryToo ? s : mutate(s))?.ToJsonString();
            }
            else if (type.Contains("form"))
            {
                changed = string.Join("&", text.Split('&').Select(pair => queryToo ? pair + "%00" : pair));
            }
            if (changed is not null)
            {
                request.Content = new StringContent(changed, Encoding.UTF8, type);
            }
        }
        return request;
    }

    /// <summary>One JSON document, or null for what is not (JSON lines, say), which is sent as written.</summary>
    private static System.Text.Json.Nodes.JsonNode? ParsedOrNull(string text)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static System.Text.Json.Nodes.JsonNode? Rewrite(System.Text.Json.Nodes.JsonNode? node, Func<string, string> change) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => new System.Text.Json.Nodes.JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Rewrite(p.Value, change)))),
        System.Text.Json.Nodes.JsonArray a => new System.Text.Json.Nodes.JsonArray([.. a.Select(i => Rewrite(i, change))]),
        System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => System.Text.Json.Nodes.JsonValue.Create(change(v.GetValue<string>())),
        _ => node?.DeepClone(),
    };

    private async Task<Caller> NewCallerAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return new Caller(clearMl.Token!, keys.ApiKey);
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "…" : text;
}

[Collection(PostgresCollection.Name)]
public sealed class BadInputTestsOnPostgres(PostgresFixture fixture) : BadInputTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class BadInputTestsOnSqlite(SqliteFixture fixture) : BadInputTests(fixture);
