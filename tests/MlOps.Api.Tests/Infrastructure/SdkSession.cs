using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// A recorded session of a real ClearML client (the SDK, clearml-data, clearml-agent; tests/clearml-sdk/record_proxy.py:
/// one call per line with its method, path, content type, worker header, body, status and the answer's data, or a
/// download's bytes), replayed against a fresh tenant. No key or token is recorded: logins use the tenant's key pair, every other call its
/// token. Ids the server handed out at recording time are swapped for the ones it hands out now, learned from the
/// answers; an id already learned must come back where it was recorded.
/// </summary>
public sealed partial class SdkSession(ClearMlClient client, string accessKey = "", string secretKey = "")
{
    private sealed record Call(
        string Method, string Path, string ContentType, string? Worker, string? Body, string? BodyBase64, int? Status,
        JsonElement? Response, string? ResponseBase64);

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Dictionary<string, string> _ids = [];

    /// <summary>Scroll ids the server handed out (opaque, not id-shaped): the replay continues from its own.</summary>
    private readonly Dictionary<string, string> _scrolls = [];

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")]
    private static partial Regex Id();

    /// <summary>How many downloads the replays checked byte for byte.</summary>
    public int Downloads { get; private set; }

    /// <summary>The id the replay got where the recording got <paramref name="recorded"/>.</summary>
    public string Replayed(string recorded) => _ids.GetValueOrDefault(recorded, recorded);

    /// <summary>
    /// Replays every call: each must answer the recorded status, API answers with data shaped like the recording's
    /// (same keys, same JSON kinds, arrays as long), downloads with the recorded bytes (ids swapped).
    /// </summary>
    public async Task ReplayAsync(string fixture)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "ClearMl", "Fixtures", fixture));
        foreach (var (call, line) in lines.Select((text, index) => (JsonSerializer.Deserialize<Call>(text, Options)!, index + 1)))
        {
            var path = Swap(call.Path);
            using var request = new HttpRequestMessage(new HttpMethod(call.Method), path) { Content = Body(call) };
            request.Headers.Authorization = call.Path.Split('?')[0].EndsWith("auth.login", StringComparison.Ordinal)
                ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accessKey}:{secretKey}")))
                : new AuthenticationHeaderValue("Bearer", client.Token);
            if (call.Worker is { } worker)
            {
                request.Headers.Add("X-ClearML-Worker", worker);
            }
            using var response = await client.Http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var status = call.Status ?? 200;
            var where = $"{fixture}:{line} {call.Method} {path}";
            Assert.True(status == (int)response.StatusCode, $"{where}: {status} recorded, {(int)response.StatusCode} replayed: {Encoding.UTF8.GetString(bytes)}");
            if (call.ResponseBase64 is { } recorded)
            {
                Assert.True(Swap(Convert.FromBase64String(recorded)).AsSpan().SequenceEqual(bytes), $"{where}: the download differs from the recording");
                Downloads++;
            }
            else if (call.Response is { ValueKind: not JsonValueKind.Null } data)
            {
                var envelope = JsonDocument.Parse(bytes).RootElement;
                Assert.True(envelope.GetProperty("meta").GetProperty("result_code").GetInt32() == status, $"{where}: result_code differs");
                Match(data, envelope.GetProperty("data"), where);
            }
        }
    }

    /// <summary>The recorded body with today's ids: JSON as text, a multipart upload byte for byte outside the ids.</summary>
    private ByteArrayContent? Body(Call call)
    {
        if (string.IsNullOrEmpty(call.Body) && call.BodyBase64 is null)
        {
            return null;
        }
        var content = new ByteArrayContent(call.Body is { } text ? Encoding.UTF8.GetBytes(Swap(text)) : Swap(Convert.FromBase64String(call.BodyBase64!)));
        if (call.ContentType.Length > 0)
        {
            // A multipart boundary is an id-like hex string the SDK chose; unknown to the replay, it stays as recorded.
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(Swap(call.ContentType));
        }
        return content;
    }

    private string Swap(string text) =>
        _scrolls.Aggregate(Id().Replace(text, m => Replayed(m.Value)), (swapped, scroll) => swapped.Replace(scroll.Key, scroll.Value));

    private byte[] Swap(byte[] bytes) => Encoding.Latin1.GetBytes(Swap(Encoding.Latin1.GetString(bytes)));

    private static string Shorten(string text) => text.Length > 3000 ? text[..3000] + "..." : text;

    /// <summary>
    /// Same keys and JSON kinds, arrays of the same length; an array's items in any order (ordered by ids that differ
    /// between runs, or written concurrently), each matched to one replayed item. An id learned earlier must be the one
    /// the replay got for it; new ids are learned on the way (unless only <paramref name="trying"/>).
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
                        return Fail($"no replayed item like {item} in {Shorten(replayed.ToString())}");
                    }
                    Match(item, unmatched[index], where + "[]", trying);
                    unmatched.RemoveAt(index);
                }
                return true;
            case JsonValueKind.String when where.EndsWith(".scroll_id", StringComparison.Ordinal) && !trying && recorded.GetString() is { Length: >= 8 } scroll:
                _scrolls[scroll] = replayed.GetString()!;
                return true;
            case JsonValueKind.String when Id().Match(recorded.GetString()!) is { Success: true } id && id.Length == recorded.GetString()!.Length:
                if (_ids.TryGetValue(id.Value, out var known))
                {
                    return known == replayed.GetString() || Fail($"{known} expected (recorded {id.Value}), {replayed.GetString()} replayed");
                }
                if (!trying)
                {
                    _ids[id.Value] = replayed.GetString()!;
                }
                return true;
            default:
                return true;
        }
    }
}
