using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Security;

/// <summary>Bodies over <c>MlOps:Limits:MaxRequestBodyBytes</c> are refused with 413 in each surface's own error format.</summary>
public sealed class RequestLimitsTests
{
    [Fact]
    public async Task An_oversized_body_is_a_413_in_every_surfaces_format()
    {
        await using var server = new ServerProcess("Sqlite", "", Path.Combine(Path.GetTempPath(), "mlops-limits-" + Guid.NewGuid().ToString("N")),
            new Dictionary<string, string> { ["MlOps__Limits__MaxRequestBodyBytes"] = "100000" });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var token = (await new ClearMlClient(http).LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey)).Token!;
        var body = $"{{\"name\": \"{new string('x', 200_000)}\"}}";

        async Task<JsonElement> PostAsync(string path, Action<HttpRequestHeaders> authorize)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            authorize(request.Headers);
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{path}: {(int)response.StatusCode}");
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        var clearMl = await PostAsync("/tasks.create", h => h.Authorization = new AuthenticationHeaderValue("Bearer", token));
        Assert.Equal(413, clearMl.GetProperty("meta").GetProperty("result_code").GetInt32());
        var comet = await PostAsync("/api/rest/v2/write/experiment/create", h => h.TryAddWithoutValidation("Authorization", MlOpsFactory.ApiKey));
        Assert.Equal(413, comet.GetProperty("code").GetInt32());
        var zen = await PostAsync("/api/v1/pipelines", h => h.Authorization = new AuthenticationHeaderValue("Bearer", token));
        Assert.Equal("ValueError", zen.GetProperty("detail")[0].GetString());
        var clarifai = await PostAsync("/v2/inputs", h => h.Authorization = new AuthenticationHeaderValue("Key", MlOpsFactory.ApiKey));
        Assert.Equal(11100, clarifai.GetProperty("status").GetProperty("code").GetInt32());
    }
}
