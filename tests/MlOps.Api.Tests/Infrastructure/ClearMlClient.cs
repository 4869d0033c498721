using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

public sealed record ClearMlResponse(HttpStatusCode Status, JsonElement Body)
{
    public JsonElement Meta => Body.GetProperty("meta");
    public JsonElement Data => Body.GetProperty("data");
    public int ResultCode => Meta.GetProperty("result_code").GetInt32();
    public int ResultSubcode => Meta.GetProperty("result_subcode").GetInt32();

    /// <summary>Asserts a 200 envelope and returns its data, or fails with the server's message.</summary>
    public JsonElement Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.Equal(200, ResultCode);
        return Data;
    }

    public void AssertError(int code, int subcode)
    {
        Assert.True((int)Status == code, $"expected {code}, got {(int)Status}: {Body}");
        Assert.Equal(code, ResultCode);
        Assert.Equal(subcode, ResultSubcode);
    }
}

/// <summary>Calls endpoints the way the ClearML SDK does: GET with a JSON body, under /v2.23/, Bearer after login.</summary>
public sealed class ClearMlClient(HttpClient http)
{
    public string? Token { get; set; }

    public HttpClient Http => http;

    public async Task<ClearMlClient> LoginAsync(string accessKey, string secretKey)
    {
        var response = await LoginRawAsync(accessKey, secretKey);
        Token = response.Ok().GetProperty("token").GetString();
        return this;
    }

    public Task<ClearMlResponse> LoginRawAsync(string accessKey, string secretKey, string? query = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth.login" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accessKey}:{secretKey}")));
        return SendAsync(request);
    }

    public Task<ClearMlResponse> CallAsync(string endpoint, object? body = null, string? version = "2.23", HttpMethod? method = null)
    {
        var path = version is null ? $"/{endpoint}" : $"/v{version}/{endpoint}";
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path)
        {
            Content = new StringContent(body is string raw ? raw : JsonSerializer.Serialize(body ?? new { }), Encoding.UTF8, "application/json"),
        };
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        return SendAsync(request);
    }

    /// <summary>events.add_batch as the SDK sends it: one JSON object per line, with GET.</summary>
    public Task<ClearMlResponse> AddEventsAsync(IEnumerable<object> events)
    {
        var lines = string.Join("\n", events.Select(e => JsonSerializer.Serialize(e)));
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2.23/events.add_batch")
        {
            Content = new StringContent(lines, Encoding.UTF8, "application/json-lines"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return SendAsync(request);
    }

    public async Task<ClearMlResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return new ClearMlResponse(response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Creates a project and returns its id.</summary>
    public async Task<string> CreateProjectAsync(string name) =>
        (await CallAsync("projects.create", new { name, description = "" })).Ok().GetProperty("id").GetString()!;

    /// <summary>Creates a task as Task.init does and returns its id.</summary>
    public async Task<string> CreateTaskAsync(string project, string name, string type = "training", string[]? tags = null) =>
        (await CallAsync("tasks.create", new { name, type, project, system_tags = new[] { "development" }, tags = tags ?? [] }))
        .Ok().GetProperty("id").GetString()!;
}
