using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl.Recorded;

/// <summary>
/// What the replay tests of recorded ClearML client sessions share: a fresh tenant that replays fixtures, and the reads
/// that check what the session left behind, made the way a client makes them.
/// </summary>
public abstract class RecordedSessionTests(IServerFixture fixture)
{
    /// <summary>Replays the fixtures in order as one session of a new tenant; each call must answer as recorded.</summary>
    protected async Task<(ClearMlClient Client, SdkSession Session)> ReplayAsync(params string[] fixtures)
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var session = new SdkSession(client, keys.AccessKey, keys.SecretKey);
        foreach (var name in fixtures)
        {
            await session.ReplayAsync(name);
        }
        return (client, session);
    }

    /// <summary>The tasks of that name (hidden ones too), oldest first, as full documents.</summary>
    protected static async Task<List<JsonElement>> TasksAsync(ClearMlClient client, string name, object? filter = null)
    {
        var found = (await client.CallAsync("tasks.get_all", new { name = $"^{name}$", search_hidden = true, order_by = new[] { "created" }, only_fields = new[] { "id" } }))
            .Ok().GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        var documents = new List<JsonElement>();
        foreach (var task in found)
        {
            documents.Add((await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task"));
        }
        return documents;
    }

    protected static async Task<JsonElement> TaskAsync(ClearMlClient client, string name) => Assert.Single(await TasksAsync(client, name));

    protected static async Task<JsonElement?> ProjectAsync(ClearMlClient client, string name)
    {
        var projects = (await client.CallAsync("projects.get_all", new { name = "^" + System.Text.RegularExpressions.Regex.Escape(name) + "$", search_hidden = true }))
            .Ok().GetProperty("projects");
        return projects.GetArrayLength() == 0 ? null : projects[0];
    }

    /// <summary>A file the session uploaded, by the URL the client stored (its host was the recording's).</summary>
    protected static async Task<(HttpStatusCode Status, byte[] Bytes)> DownloadAsync(ClearMlClient client, string url)
    {
        var path = new Uri(url).AbsolutePath;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        using var response = await client.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    protected static JsonElement Artifact(JsonElement task, string key) =>
        task.GetProperty("execution").GetProperty("artifacts").EnumerateArray().Single(a => a.GetProperty("key").GetString() == key);

    protected static string? Param(JsonElement task, string section, string name) =>
        task.GetProperty("hyperparams").TryGetProperty(section, out var s) && s.TryGetProperty(name, out var p) ? p.GetProperty("value").GetString() : null;

    /// <summary>The last value of a metric/variant in the task's last_metrics.</summary>
    protected static double LastMetric(JsonElement task, string metric, string variant) =>
        task.GetProperty("last_metrics").EnumerateObject().SelectMany(m => m.Value.EnumerateObject()).Select(v => v.Value)
            .Single(v => v.GetProperty("metric").GetString() == metric && v.GetProperty("variant").GetString() == variant)
            .GetProperty("value").GetDouble();
}
