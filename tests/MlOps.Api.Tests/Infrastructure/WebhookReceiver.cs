using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>A local HTTP endpoint that records the webhook posts it receives, answering each as told.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();

    /// <summary>Listens on <paramref name="port"/>, or on a free port.</summary>
    public WebhookReceiver(int? port = null)
    {
        Url = UrlOn(port ?? ServerProcess.FreePort());
        _listener.Prefixes.Add(Url);
        _listener.Start();
    }

    public string Url { get; }

    public static string UrlOn(int port) => $"http://127.0.0.1:{port}/hook/";

    /// <summary>Whether any request arrives within the time.</summary>
    public async Task<bool> HearsAnythingAsync(TimeSpan timeout)
    {
        var next = _listener.GetContextAsync();
        return await Task.WhenAny(next, Task.Delay(timeout)) == next;
    }

    public async Task<(Dictionary<string, string> Headers, JsonElement Body)> NextAsync(TimeSpan timeout, HttpStatusCode answer = HttpStatusCode.OK)
    {
        var context = await _listener.GetContextAsync().WaitAsync(timeout);
        var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!);
        var body = (await JsonDocument.ParseAsync(context.Request.InputStream)).RootElement.Clone();
        context.Response.StatusCode = (int)answer;
        context.Response.Close();
        return (headers, body);
    }

    public void Dispose() => _listener.Close();

    /// <summary>A registry model version (of a model logged by a new Comet experiment); returns its item id, whose stage the tests change.</summary>
    public static async Task<string> RegistryModelVersionAsync(CometClient comet, string workspace, string modelName)
    {
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "hooks" })).Ok().GetProperty("experimentKey").GetString();
        (await comet.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/rest/v2/write/experiment/upload-asset?experimentKey={key}&fileName=w.pt&type=model-element&groupingName={modelName}")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "w.pt" } },
        })).Ok();
        var modelId = (await comet.GetAsync($"experiment/model?experimentKey={key}")).Ok().GetProperty("models")[0].GetProperty("experimentModelId").GetString();
        return (await comet.PostAsync("write/registry-model", new { experimentModelId = modelId, registryModelName = modelName, version = "1.0.0" }))
            .Ok().GetProperty("registryModelItemId").GetString()!;
    }

    /// <summary>Points the workspace's webhooks for the model at <paramref name="url"/>.</summary>
    public static async Task ConfigureAsync(CometClient comet, string workspace, string modelName, string url) =>
        Assert.Equal(HttpStatusCode.NoContent, await comet.StatusOfAsync(new HttpRequestMessage(HttpMethod.Post, "/api/rest/v2/webhooks/config")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { webhookConfigs = new[] { new { workspaceName = workspace, modelName, webhookUrls = new[] { new { url } } } } }),
        }));
}
