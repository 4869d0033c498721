using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

public sealed record ZenMlResponse(HttpStatusCode Status, string Text)
{
    public JsonElement Body => JsonDocument.Parse(Text).RootElement;

    /// <summary>The body of a 2xx answer.</summary>
    public JsonElement Ok()
    {
        Assert.True((int)Status is >= 200 and < 300, $"expected success, got {(int)Status}: {Text}");
        return Body;
    }

    /// <summary>ZenML's error body: <c>{"detail": [exception class, message]}</c>.</summary>
    public void AssertError(HttpStatusCode status, string exceptionType)
    {
        Assert.True(status == Status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal(exceptionType, Body.GetProperty("detail")[0].GetString());
    }

    /// <summary>FastAPI's validation body: <c>{"detail": [{"loc": [...], "msg", "type"}]}</c>, at <paramref name="location"/>.</summary>
    public void AssertInvalid(params string[] location)
    {
        Assert.True(Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {(int)Status}: {Text}");
        var error = Body.GetProperty("detail")[0];
        Assert.Equal(location, error.GetProperty("loc").EnumerateArray().Select(l => l.ToString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("msg").GetString()));
    }
}

/// <summary>Calls the ZenML surface as the ZenML client does: form login, then Bearer JSON calls under /api/v1.</summary>
public sealed class ZenMlClient(HttpClient http)
{
    public string? Token { get; set; }

    public static async Task<ZenMlClient> LoginAsync(HttpClient http, string user, string password)
    {
        var client = new ZenMlClient(http);
        var login = (await client.LoginRawAsync(user, password)).Ok();
        client.Token = login.GetProperty("access_token").GetString();
        return client;
    }

    public Task<ZenMlResponse> LoginRawAsync(string user, string password) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = password }),
        });

    public Task<ZenMlResponse> GetAsync(string pathAndQuery) => SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1" + pathAndQuery));

    public Task<ZenMlResponse> DeleteAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1" + path));

    public Task<ZenMlResponse> PostAsync(string path, object body) => SendJsonAsync(HttpMethod.Post, path, body);

    public Task<ZenMlResponse> PutAsync(string path, object body) => SendJsonAsync(HttpMethod.Put, path, body);

    public Task<ZenMlResponse> SendJsonAsync(HttpMethod method, string path, object body) =>
        SendAsync(new HttpRequestMessage(method, "/api/v1" + path)
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        });

    public async Task<ZenMlResponse> SendAsync(HttpRequestMessage request)
    {
        if (Token is not null && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        using var response = await http.SendAsync(request);
        return new ZenMlResponse(response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
