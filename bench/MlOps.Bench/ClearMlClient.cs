using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MlOps.Bench;

/// <summary>The few ClearML calls the benchmark makes, as the SDK makes them.</summary>
public sealed class ClearMlClient(HttpClient http, string token)
{
    public static async Task<ClearMlClient> LoginAsync(HttpClient http, string accessKey, string secretKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth.login");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accessKey}:{secretKey}")));
        var data = await DataAsync(await http.SendAsync(request));
        return new ClearMlClient(http, data.GetProperty("token").GetString()!);
    }

    public async Task<JsonElement> CallAsync(string action, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + action) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await DataAsync(await http.SendAsync(request));
    }

    public async Task<string> CreateTaskAsync(string project, string name)
    {
        var id = (await CallAsync("tasks.create", new { name, type = "training", project })).GetProperty("id").GetString()!;
        await CallAsync("tasks.started", new { task = id });
        return id;
    }

    /// <summary>A prepared <c>events.add_batch</c> request: JSON lines, as the SDK sends them.</summary>
    public HttpRequestMessage AddBatch(byte[] jsonLines)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/events.add_batch") { Content = new ByteArrayContent(jsonLines) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json-lines");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>Scalar events, one JSON object per line: <paramref name="points"/> steps from <paramref name="firstStep"/> over the given series.</summary>
    public static byte[] ScalarLines(string task, long firstStep, int points, int seriesCount, string metric = "loss")
    {
        var text = new StringBuilder(points * 150);
        for (var i = 0; i < points; i++)
        {
            var step = firstStep + i / seriesCount;
            text.Append("{\"type\":\"training_stats_scalar\",\"task\":\"").Append(task)
                .Append("\",\"metric\":\"").Append(metric).Append("\",\"variant\":\"v").Append(i % seriesCount)
                .Append("\",\"iter\":").Append(step).Append(",\"value\":").Append(Math.Sin(step / 1000.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture))
                .Append(",\"timestamp\":").Append(1_790_000_000_000 + step).Append("}\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
            }
            return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
        }
    }
}
