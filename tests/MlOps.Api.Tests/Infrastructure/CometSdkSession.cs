using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// A recorded session of the real comet_ml SDK (tests/comet-sdk/run.sh --record: one call per line with its method,
/// path, headers, body exactly as sent, gzip included, and the answer), replayed against a fresh workspace. The API
/// key and workspace name become the replaying tenant's; every 32-hex id becomes a fresh one: ids the SDK chose
/// (experiment and asset keys) when they first appear in a request, ids the server handed out when they first appear
/// in an answer, learned from the replayed answer.
/// </summary>
public sealed partial class CometSdkSession(HttpClient http, string apiKey, string workspace)
{
    public const string RecordedApiKey = "comet-live-test-api-key-000000001";
    private const string RecordedWorkspace = "default";

    private sealed record Call(string Method, string Path, Dictionary<string, string> Headers, string Body, int Status, string Response);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, string> _ids = [];

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")]
    private static partial Regex Id();

    /// <summary>The id the replay uses where the recording has <paramref name="recorded"/>.</summary>
    public string Replayed(string recorded) => _ids.GetValueOrDefault(recorded, recorded);

    /// <summary>Replays every call: each must answer the recorded status with JSON shaped like the recording's.</summary>
    public async Task ReplayAsync(string fixture)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Comet", "Fixtures", fixture));
        foreach (var call in lines.Select(line => JsonSerializer.Deserialize<Call>(line, Options)!))
        {
            var path = Swap(call.Path).Replace("apiKey=" + RecordedApiKey, "apiKey=" + Uri.EscapeDataString(apiKey))
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
            if (Json(call.Response) is { } recorded)
            {
                Match(recorded, Json(answer) ?? throw new Xunit.Sdk.XunitException($"{path}: JSON recorded, got {answer}"), $"{call.Method} {path}");
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
            text = Swap(text).Replace($"\"{RecordedApiKey}\"", JsonSerializer.Serialize(apiKey))
                .Replace($"\"{RecordedWorkspace}\"", JsonSerializer.Serialize(workspace));
            bytes = gzip ? Gzip.Compress(Encoding.UTF8.GetBytes(text)) : Encoding.UTF8.GetBytes(text);
        }
        else if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            // Ids in the parts (and the boundary, a 32-hex id too, here and in the header), byte for byte elsewhere.
            bytes = Encoding.Latin1.GetBytes(Swap(Encoding.Latin1.GetString(bytes)));
            type = Swap(type);
        }
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        return content;
    }

    /// <summary>Ids in a request: known ones become their replayed counterparts, new ones (chosen by the SDK) fresh ids.</summary>
    private string Swap(string text) => Id().Replace(text, m =>
    {
        if (!_ids.TryGetValue(m.Value, out var replayed))
        {
            _ids[m.Value] = replayed = Guid.NewGuid().ToString("N");
        }
        return replayed;
    });

    /// <summary>
    /// Same keys and JSON kinds, arrays of the same length; an array's items in any order (items written concurrently,
    /// or ordered by ids that differ between runs, may come back in another order), each matched to one replayed item.
    /// Ids the server handed out are learned on the way (unless only <paramref name="trying"/>).
    /// </summary>
    private bool Match(JsonElement recorded, JsonElement replayed, string where, bool trying = false)
    {
        bool Fail(string why) => trying ? false : throw new Xunit.Sdk.XunitException($"{where}: {why}");
        if (recorded.ValueKind != replayed.ValueKind)
        {
            return Fail($"{recorded.ValueKind} recorded, {replayed.ValueKind} replayed");
        }
        switch (recorded.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in recorded.EnumerateObject())
                {
                    if (!replayed.TryGetProperty(property.Name, out var value))
                    {
                        return Fail($"'{property.Name}' missing");
                    }
                    if (!Match(property.Value, value, $"{where}.{property.Name}", trying))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.Array:
                if (recorded.GetArrayLength() != replayed.GetArrayLength())
                {
                    return Fail($"array length differs ({recorded.GetArrayLength()} recorded, {replayed.GetArrayLength()} replayed)");
                }
                var unmatched = replayed.EnumerateArray().ToList();
                foreach (var item in recorded.EnumerateArray())
                {
                    var index = unmatched.FindIndex(candidate => Match(item, candidate, where, trying: true));
                    if (index < 0)
                    {
                        return Fail($"no replayed item like {item}");
                    }
                    Match(item, unmatched[index], where + "[]", trying);
                    unmatched.RemoveAt(index);
                }
                return true;
            case JsonValueKind.String when !trying && Id().Match(recorded.GetString()!) is { Success: true } id && id.Length == recorded.GetString()!.Length:
                _ids.TryAdd(id.Value, replayed.GetString()!);
                return true;
            default:
                return true;
        }
    }

    private static JsonElement? Json(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null; // a download: its bytes are checked by the test, not here
        }
    }
}
