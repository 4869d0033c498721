using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

public sealed record ClarifaiResponse(HttpStatusCode Status, JsonElement Body)
{
    public int Code => Body.GetProperty("status").GetProperty("code").GetInt32();

    public JsonElement Ok()
    {
        Assert.True(Status == HttpStatusCode.OK && Code == 10000, $"expected 200/10000, got {(int)Status}: {Body}");
        return Body;
    }

    /// <summary>Clarifai's envelope on a failure: the HTTP status, the numeric code, a description and a req_id.</summary>
    public void AssertError(HttpStatusCode status, int code)
    {
        Assert.True(Status == status && Code == code, $"expected {(int)status}/{code}, got {(int)Status}: {Body}");
        var envelope = Body.GetProperty("status");
        Assert.False(string.IsNullOrEmpty(envelope.GetProperty("description").GetString()));
        Assert.False(string.IsNullOrEmpty(envelope.GetProperty("req_id").GetString()));
    }
}

/// <summary>Calls the Clarifai v2 API as its clients do (<c>Authorization: Key ...</c>), on one of the two route forms.</summary>
public sealed class ClarifaiClient(HttpClient http, string? authorization, string prefix = "/v2")
{
    public ClarifaiClient OnApp(string user, string app) => new(http, authorization, $"/v2/users/{user}/apps/{app}");

    public Task<ClarifaiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ClarifaiResponse> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    public Task<ClarifaiResponse> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, body);

    /// <summary>A DELETE with a JSON body sent without a Content-Type, as some clients do.</summary>
    public Task<ClarifaiResponse> DeleteAsync(string path, object? body = null) => SendAsync(HttpMethod.Delete, path, body, contentType: false);

    public async Task<ClarifaiResponse> SendAsync(HttpMethod method, string path, object? body, bool contentType = true)
    {
        using var request = new HttpRequestMessage(method, prefix + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
            if (!contentType)
            {
                request.Content.Headers.ContentType = null;
            }
        }
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var response = await http.SendAsync(request);
        return new ClarifaiResponse(response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
