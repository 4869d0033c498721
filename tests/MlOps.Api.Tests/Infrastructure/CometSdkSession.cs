using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// A recorded session of the real comet_ml SDK (tests/comet-sdk/run.sh --record: one call per line with its method,
/// path, headers, body exactly as sent, gzip included, and the answer), replayed against a fresh workspace. The API
/// key and workspace name become the replaying tenant's; every 32-hex id becomes a fresh one: ids the SDK chose
/// (experiment and asset keys) when they first appear in a request, ids the server handed out when they first appear
/// in an answer, learned from the replayed answer.
/// </summary>
public sealed class CometSdkSession(HttpClient http, string apiKey, string workspace)
{
    public const string RecordedApiKey = "comet-live-test-api-key-000000001";
    private const string RecordedWorkspace = "default";

    private sealed record Call(string Method, string Path, Dictionary<string, string> Headers, string Body, int Status, string Response);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private readonly RecordedIds _ids = new();

    /// <summary>The id the replay uses where the recording has <paramref name="recorded"/>.</summary>
    public string Replayed(string recorded) => _ids.Replayed(recorded);

    /// <summary>Replays every call: each must answer the recorded status with JSON shaped like the recording's.</summary>
    public async Task ReplayAsync(string fixture)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Comet", "Fixtures", fixture));
        foreach (var call in lines.Select(line => JsonSerializer.Deserialize<Call>(line, Options)!))
        {
            var path = _ids.Swap(call.Path).Replace("apiKey=" + RecordedApiKey, "apiKey=" + Uri.EscapeDataString(apiKey))
                .Replace("Name=" + RecordedWorkspace, "Name=" + Uri.EscapeDataString(workspace));
            using var request = new HttpRequestMessage(new HttpMethod(call.Method), path);
            if (call.Headers.TryGetValue("authorization", out var key))
            {
                request.Headers.TryAddWithoutValidation("Authorization", key == RecordedApiKey ? apiKey : key);
            }
            if (call.Method != "GET")
            {
                request.Content = Body(call);
            }
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(call.Status == (int)response.StatusCode, $"{call.Method} {path}: {call.Status} recorded, {(int)response.StatusCode} replayed: {answer}");
            if (RecordedIds.Json(call.Response) is { } recorded)
            {
                _ids.Match(recorded, RecordedIds.Json(answer) ?? throw new Xunit.Sdk.XunitException($"{path}: JSON recorded, got {answer}"), $"{call.Method} {path}");
            }
        }
    }

    /// <summary>JSON bodies (gzip-compressed or not) with the tenant's key, workspace and ids; multipart bodies with its ids.</summary>
    private ByteArrayContent Body(Call call)
    {
        var bytes = Convert.FromBase64String(call.Body);
        var type = call.Headers.GetValueOrDefault("content-type", "application/octet-stream");
        var gzip = call.Headers.GetValueOrDefault("content-encoding") == "gzip";
        if (type.StartsWith("application/json", StringComparison.Ordinal))
        {
            var text = Encoding.UTF8.GetString(gzip ? Gzip.Decompress(bytes) : bytes);
            text = _ids.Swap(text).Replace($"\"{RecordedApiKey}\"", JsonSerializer.Serialize(apiKey))
                .Replace($"\"{RecordedWorkspace}\"", JsonSerializer.Serialize(workspace));
            bytes = gzip ? Gzip.Compress(Encoding.UTF8.GetBytes(text)) : Encoding.UTF8.GetBytes(text);
        }
        else if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            // Ids in the parts (and the boundary, a 32-hex id too, here and in the header), byte for byte elsewhere.
            bytes = Encoding.Latin1.GetBytes(_ids.Swap(Encoding.Latin1.GetString(bytes)));
            type = _ids.Swap(type);
        }
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        return content;
    }
}
