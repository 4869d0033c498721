using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// NUL characters (which PostgreSQL cannot store) anywhere in a request, and filters far longer than any name, are
/// bad input in each surface's own format on both databases; nothing of such a request is written.
/// </summary>
public abstract class NulAndLongTextTests(IServerFixture fixture)
{
    private const string Nul = "\u0000";

    private async Task<(ClearMlClient ClearMl, CometClient Comet, ZenMlClient ZenMl, ClarifaiClient Clarifai, string Project)> CallerAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = "nul-" + Guid.NewGuid().ToString("N")[..8];
        return (clearMl, new CometClient(fixture.Factory.CreateClient(), keys.ApiKey), new ZenMlClient(fixture.Factory.CreateClient()) { Token = clearMl.Token },
            new ClarifaiClient(fixture.Factory.CreateClient(), "Key " + keys.ApiKey).OnApp("me", project), project);
    }

    [Fact]
    public async Task ClearMl_refuses_NUL_in_bodies_queries_and_file_names_and_writes_nothing()
    {
        var (clearMl, _, _, _, projectName) = await CallerAsync();
        var project = await clearMl.CreateProjectAsync(projectName);
        var task = await clearMl.CreateTaskAsync(project, "t");

        (await clearMl.CallAsync("tasks.create", new { name = "a" + Nul, type = "training", project })).AssertError(400, 0);
        (await clearMl.CallAsync("projects.create", new { name = "proj" + Nul + "ect" })).AssertError(400, 0);
        (await clearMl.CallAsync("models.create", new { name = "m", uri = "http://x/" + Nul })).AssertError(400, 0);
        (await clearMl.CallAsync("queues.create", new { name = Nul + "queue" })).AssertError(400, 0);
        (await clearMl.CallAsync("tasks.edit", new { task, name = "x" + Nul, force = true })).AssertError(400, 0);
        (await clearMl.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "A" + Nul, name = "p", value = "v" } } })).AssertError(400, 0);
        (await clearMl.AddEventsAsync([new { type = "log", task, level = "info", msg = "line" + Nul, worker = "w" }])).AssertError(400, 0);
        (await clearMl.AddEventsAsync([new { type = "training_stats_scalar", task, iter = 1, metric = "m" + Nul, variant = "v", value = 1.0 }])).AssertError(400, 0);
        (await clearMl.CallAsync("tasks.get_all?name=%00")).AssertError(400, 0);
        // Literal text that only looks like the escape (its backslash is escaped) is an ordinary name.
        (await clearMl.CallAsync("tasks.edit", new { task, name = "back\\u0000slash", force = true })).Ok();

        var upload = new HttpRequestMessage(HttpMethod.Post, "/files")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent([0, 1, 2]), "dir/a%00b.bin", "dir/a%00b.bin" } },
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", clearMl.Token) },
        };
        (await clearMl.SendAsync(upload)).AssertError(400, 0);

        var stored = (await clearMl.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");
        Assert.Equal("back\\u0000slash", stored.GetProperty("name").GetString());
        Assert.Empty(stored.GetProperty("hyperparams").EnumerateObject());
        Assert.Empty((await clearMl.CallAsync("events.get_task_log", new { task })).Ok().GetProperty("events").EnumerateArray());
        Assert.Single((await clearMl.CallAsync("tasks.get_all", new { project = new[] { project } })).Ok().GetProperty("tasks").EnumerateArray());
    }

    [Fact]
    public async Task A_NUL_at_the_end_of_a_megabyte_batch_refuses_the_whole_batch()
    {
        var (clearMl, _, _, _, projectName) = await CallerAsync();
        var task = await clearMl.CreateTaskAsync(await clearMl.CreateProjectAsync(projectName), "t");
        var events = Enumerable.Range(0, 10_000).Select(i => (object)new { type = "training_stats_scalar", task, iter = i, metric = "loss", variant = "v", value = 0.5 })
            .Append(new { type = "log", task, level = "info", msg = "end" + Nul, worker = "w" });
        (await clearMl.AddEventsAsync(events)).AssertError(400, 0);
        Assert.Empty((await clearMl.CallAsync("events.get_task_latest_scalar_values", new { task })).Ok().GetProperty("metrics").EnumerateArray());
    }

    [Fact]
    public async Task Comet_ZenMl_and_Clarifai_refuse_NUL_in_their_own_formats()
    {
        var (_, comet, zen, clarifai, projectName) = await CallerAsync();
        var workspace = (await comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames")[0].GetString()!;
        var experiment = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName })).Ok().GetProperty("experimentKey").GetString()!;

        (await comet.PostAsync("write/experiment/metric", new { experimentKey = experiment, metricName = "m" + Nul, metricValue = 1, step = 1 })).AssertError(HttpStatusCode.BadRequest);
        (await comet.PostAsync("write/experiment/log-other", new { experimentKey = experiment, key = "k", value = Nul })).AssertError(HttpStatusCode.BadRequest);
        (await comet.GetAsync("experiment/metrics/summary?experimentKey=%00")).AssertError(HttpStatusCode.BadRequest);
        Assert.Empty((await comet.GetAsync($"experiment/metrics/summary?experimentKey={experiment}")).Ok().GetProperty("values").EnumerateArray());
        Assert.Empty((await comet.GetAsync($"experiment/log-other?experimentKey={experiment}")).Ok().GetProperty("values").EnumerateArray());

        (await zen.PostAsync("/pipelines", new { name = "p" + Nul })).AssertInvalid("body");
        (await zen.GetAsync("/pipelines?name=%00")).AssertInvalid("body");

        (await clarifai.PostAsync("/inputs", new { inputs = new[] { new { id = "in" + Nul, data = new { text = new { raw = "t" } } } } })).AssertError(HttpStatusCode.BadRequest, 11100);
        Assert.Equal(0, (await clarifai.GetAsync("/inputs")).Ok().GetProperty("inputs").GetArrayLength());
    }

    [Fact]
    public async Task Filters_far_longer_than_any_name_are_answered_not_failed()
    {
        var (clearMl, comet, zen, _, _) = await CallerAsync();
        var huge = new string('x', 100_000);
        foreach (var endpoint in new[] { "projects.get_all", "models.get_all", "queues.get_all", "tasks.get_all", "users.get_all", "projects.get_all_ex", "tasks.get_all_ex" })
        {
            var answer = await clearMl.CallAsync(endpoint, new { name = huge });
            Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{endpoint}: {(int)answer.Status} {answer.Body}");
            Assert.Equal((int)answer.Status, answer.ResultCode);
        }
        var complex = string.Concat(Enumerable.Repeat("(a|b)*", 20_000));
        var refused = await clearMl.CallAsync("projects.get_all", new { name = complex });
        Assert.True(refused.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)refused.Status} {refused.Body}");
        Assert.True((int)(await comet.GetAsync($"projects?workspaceName={huge[..20_000]}")).Status < 500);
        Assert.True((int)(await zen.GetAsync($"/pipelines?name={huge[..20_000]}")).Status < 500);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class NulAndLongTextTestsOnPostgres(PostgresFixture fixture) : NulAndLongTextTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class NulAndLongTextTestsOnSqlite(SqliteFixture fixture) : NulAndLongTextTests(fixture);
