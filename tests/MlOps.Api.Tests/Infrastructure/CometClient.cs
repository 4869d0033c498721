using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

public sealed record CometResponse(HttpStatusCode Status, JsonElement Body)
{
    public JsonElement Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        return Body;
    }

    /// <summary>Comet's error body: msg, code (= the status), data, sdk_error_code.</summary>
    public void AssertError(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal((int)status, Body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(Body.GetProperty("msg").GetString()));
        Assert.True(Body.TryGetProperty("sdk_error_code", out _));
        Assert.Equal(JsonValueKind.Null, Body.GetProperty("data").ValueKind);
    }
}

/// <summary>Calls the Comet REST v2 API as comet_ml does: the API key as a bare Authorization header.</summary>
public sealed class CometClient(HttpClient http, string? apiKey)
{
    public async Task<CometResponse> GetAsync(string pathAndQuery) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/rest/v2/" + pathAndQuery));

    public async Task<CometResponse> PostAsync(string path, object body) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/rest/v2/" + path) { Content = JsonContent.Create(body) });

    /// <summary>A download: 200 with the raw bytes (anything else fails the test).</summary>
    public async Task<byte[]> DownloadAsync(string pathAndQuery)
    {
        using var response = await http.SendAsync(Authorized(new HttpRequestMessage(HttpMethod.Get, "/api/rest/v2/" + pathAndQuery)));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        return bytes;
    }

    /// <summary>A call Comet answers without a body (204): its status.</summary>
    public async Task<HttpStatusCode> StatusOfAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(Authorized(request));
        return response.StatusCode;
    }

    public async Task<CometResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(Authorized(request));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        return new CometResponse(response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", apiKey);
        }
        return request;
    }
}
