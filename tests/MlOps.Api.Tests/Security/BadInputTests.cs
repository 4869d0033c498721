using System.Net;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

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
