using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

public sealed record MlflowResponse(HttpStatusCode Status, JsonElement Body)
{
    public JsonElement Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        return Body;
    }

    /// <summary>MLflow's error body: <c>{"error_code", "message"}</c> with the status MLflow gives the code.</summary>
    public void AssertError(HttpStatusCode status, string errorCode)
    {
        Assert.True(Status == status, $"expected {(int)status} {errorCode}, got {(int)Status}: {Body}");
        Assert.Equal(errorCode, Body.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(Body.GetProperty("message").GetString()));
    }
}

/// <summary>Calls MLflow's REST API as its clients do: Basic user:password, or a Bearer token (an API key or a JWT).</summary>
public sealed class MlflowClient(HttpClient http, AuthenticationHeaderValue? authorization)
{
    public const string Api = "/api/2.0/mlflow/";

    public static MlflowClient WithToken(HttpClient http, string token) => new(http, new AuthenticationHeaderValue("Bearer", token));

    public static MlflowClient WithPassword(HttpClient http, string user, string password) =>
        new(http, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))));

    public Task<MlflowResponse> GetAsync(string pathAndQuery) => SendAsync(new HttpRequestMessage(HttpMethod.Get, Api + pathAndQuery));

    public Task<MlflowResponse> PostAsync(string path, object body) => SendAsync(Json(HttpMethod.Post, path, JsonSerializer.Serialize(body)));

    /// <summary>A body sent exactly as written (wrong types, numbers as strings, broken JSON).</summary>
    public Task<MlflowResponse> PostRawAsync(string path, string body) => SendAsync(Json(HttpMethod.Post, path, body));

    public Task<MlflowResponse> SendAsync(HttpMethod method, string path, object body) => SendAsync(Json(method, path, JsonSerializer.Serialize(body)));

    /// <summary>Uploads an artifact of a run as MLflow's HTTP artifact repository does (PUT of the raw bytes).</summary>
    public async Task<HttpStatusCode> UploadAsync(string artifactPath, byte[] content)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/2.0/mlflow-artifacts/artifacts/" + artifactPath) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.SendAsync(Authorized(request));
        return response.StatusCode;
    }

    public async Task<byte[]> DownloadAsync(string artifactPath)
    {
        using var response = await http.SendAsync(Authorized(new HttpRequestMessage(HttpMethod.Get, "/api/2.0/mlflow-artifacts/artifacts/" + artifactPath)));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        return bytes;
    }

    public async Task<MlflowResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(Authorized(request));
        var text = await response.Content.ReadAsStringAsync();
        return new MlflowResponse(response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string body) =>
        new(method, Api + path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        request.Headers.Authorization = authorization;
        return request;
    }
}
