using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// A recorded session of MLflow's Python client (tests/mlflow-client/run.sh --record: one call per line with its
/// method, path, headers, body as sent and the answer), replayed against a fresh workspace. The recorded credentials
/// become the tenant's (Basic user:password becomes Basic with its key pair, the Bearer API key its API key); every
/// 32-hex id the server handed out is learned from the replayed answers and swapped into later requests.
/// </summary>
public sealed class MlflowClientSession(HttpClient http, string accessKey, string secretKey, string apiKey)
{
    private sealed record Call(string Method, string Path, Dictionary<string, string> Headers, string Body, int Status, string Response);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private readonly RecordedIds _ids = new();

    /// <summary>The id the replay got where the recording has <paramref name="recorded"/>.</summary>
    public string Replayed(string recorded) => _ids.Replayed(recorded);

    /// <summary>How many calls the replays sent.</summary>
    public int Calls { get; private set; }

    /// <summary>Replays every call: each must answer the recorded status with JSON shaped like the recording's.</summary>
    public async Task ReplayAsync(string fixture)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Mlflow", "Fixtures", fixture));
        foreach (var (call, line) in lines.Select((text, index) => (JsonSerializer.Deserialize<Call>(text, Options)!, index + 1)))
        {
            // Filters quote ids ('%27' before an id would read as part of it).
            var path = _ids.Swap(call.Path.Replace("%27", "'", StringComparison.Ordinal));
            using var request = new HttpRequestMessage(new HttpMethod(call.Method), path);
            request.Headers.Authorization = call.Headers.GetValueOrDefault("authorization", "").StartsWith("Bearer ", StringComparison.Ordinal)
                ? new AuthenticationHeaderValue("Bearer", apiKey)
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accessKey}:{secretKey}")));
            if (call.Headers.TryGetValue("content-type", out var type))
            {
                var bytes = Convert.FromBase64String(call.Body);
                request.Content = new ByteArrayContent(type.StartsWith("application/json", StringComparison.Ordinal)
                    ? Encoding.UTF8.GetBytes(_ids.Swap(Encoding.UTF8.GetString(bytes)))
                    : bytes);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }
            using var response = await http.SendAsync(request);
            Calls++;
            var answer = await response.Content.ReadAsStringAsync();
            var where = $"{fixture}:{line} {call.Method} {path}";
            Assert.True(call.Status == (int)response.StatusCode, $"{where}: {call.Status} recorded, {(int)response.StatusCode} replayed: {answer}");
            if (RecordedIds.Json(call.Response) is { } recorded)
            {
                _ids.Match(recorded, RecordedIds.Json(answer) ?? throw new Xunit.Sdk.XunitException($"{where}: JSON recorded, got {answer}"), where);
            }
        }
    }
}
