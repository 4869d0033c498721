using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

/// <summary>Every endpoint the Comet seed files list is served: answered by the Comet surface, never unrouted.</summary>
public abstract partial class CometSeedCoverageTests(IServerFixture fixture)
{
    [GeneratedRegex(@"^(get|post|GET|POST|PUT)\s*/?api/rest/v2/(\S+)")]
    private static partial Regex EndpointLine();

    public static IEnumerable<object[]> SeedEndpoints() =>
        new[] { "comet-rest-v2-read-endpoints.txt", "comet-rest-v2-write-endpoints.txt" }
            .SelectMany(file => File.ReadLines(Seeds.Path(file)))
            .Select(line => EndpointLine().Match(line.Trim()))
            .Where(m => m.Success)
            .Select(m => (Method: m.Groups[1].Value.ToUpperInvariant(), Path: m.Groups[2].Value.Split('?')[0]))
            .Distinct()
            .Select(e => new object[] { e.Method, e.Path });

    [Theory]
    [MemberData(nameof(SeedEndpoints))]
    public async Task Seed_endpoint_is_served_by_the_comet_surface(string method, string path)
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        using var http = fixture.Factory.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), "/api/rest/v2/" + path);
        request.Headers.TryAddWithoutValidation("Authorization", keys.ApiKey);
        if (method != "GET")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.True(
            response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType == "application/json",
            $"{method} {path}: {(int)response.StatusCode} without Comet's JSON body (unrouted?)");
        Assert.True((int)response.StatusCode < 500, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometSeedCoverageTestsOnPostgres(PostgresFixture fixture) : CometSeedCoverageTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometSeedCoverageTestsOnSqlite(SqliteFixture fixture) : CometSeedCoverageTests(fixture);
