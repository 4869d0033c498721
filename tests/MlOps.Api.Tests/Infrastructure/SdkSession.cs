using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// A recorded session of the real ClearML SDK (one call per line: method, path, content type, body,
/// and the data it got back), replayed against a fresh tenant. Ids the server handed out at
/// recording time are swapped for the ones it hands out now, learned from the answers.
/// </summary>
public sealed partial class SdkSession(ClearMlClient client)
{
    private sealed record Call(string Method, string Path, string ContentType, string Body, JsonElement Response);

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Dictionary<string, string> _ids = [];

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex Id();

    /// <summary>The id the replay got where the recording got <paramref name="recorded"/>.</summary>
    private string Replayed(string recorded) => _ids.GetValueOrDefault(recorded, recorded);

    /// <summary>Replays every call; each must answer 200 with data shaped like the recording's (same keys, same JSON kinds).</summary>
    public async Task ReplayAsync(string fixture)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "ClearMl", "Fixtures", fixture));
        foreach (var call in lines.Select(line => JsonSerializer.Deserialize<Call>(line, Options)!))
        {
            var request = new HttpRequestMessage(new HttpMethod(call.Method), Swap(call.Path))
            {
                Content = new StringContent(Swap(call.Body), Encoding.UTF8, MediaTypeHeaderValue.Parse(call.ContentType).MediaType!),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
            var response = await client.SendAsync(request);
            Assert.True(response.ResultCode == 200, $"{call.Path} {Swap(call.Body)} -> {response.Body}");
            Match(call.Response, response.Data, call.Path);
        }
    }

    private string Swap(string text) => Id().Replace(text, m => Replayed(m.Value));

    private void Match(JsonElement recorded, JsonElement replayed, string where)
    {
        Assert.True(recorded.ValueKind == replayed.ValueKind, $"{where}: {recorded.ValueKind} recorded, {replayed.ValueKind} replayed");
        switch (recorded.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in recorded.EnumerateObject())
                {
                    Assert.True(replayed.TryGetProperty(property.Name, out var value), $"{where}: '{property.Name}' missing");
                    Match(property.Value, value, $"{where}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                Assert.True(recorded.GetArrayLength() == replayed.GetArrayLength(), $"{where}: array length differs");
                foreach (var (a, b) in recorded.EnumerateArray().Zip(replayed.EnumerateArray()))
                {
                    Match(a, b, where + "[]");
                }
                break;
            case JsonValueKind.String when Id().IsMatch(recorded.GetString()!) && recorded.GetString()!.Length == 32:
                _ids.TryAdd(recorded.GetString()!, replayed.GetString()!);
                break;
        }
    }
}
