using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Mlflow;

/// <summary>
/// MLflow's own UI served at /mlflow/: its page (deep links too) behind MLflow's Basic sign-in, its files under
/// static-files/, and the calls it makes relative to its page (ajax-api/2.0/mlflow/..., get-artifact,
/// model-versions/get-artifact) answered by the MLflow API.
/// </summary>
public abstract class MlflowUiHostingTests(IServerFixture fixture)
{
    protected abstract MlOpsFactory WithUi(string dir);

    private static string BuiltUi()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlops-mlflow-ui-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "static", "js"));
        File.WriteAllText(Path.Combine(dir, "index.html"), "<html><script src=\"static-files/static/js/main.js\"></script>mlflow-ui</html>");
        File.WriteAllText(Path.Combine(dir, "static", "js", "main.js"), "console.log('mlflow');");
        return dir;
    }

    private static HttpRequestMessage Get(string path, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return request;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task Without_the_setting_there_is_no_page()
    {
        using var answer = await fixture.Factory.CreateClient().GetAsync("/mlflow/");
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task The_page_asks_for_basic_sign_in_then_answers_deep_links_and_serves_its_files()
    {
        var factory = WithUi(BuiltUi());
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        await factory.CreateTenantAsync(workspace);
        var http = factory.CreateClient();
        var alice = Basic($"{workspace}/alice", "alice-password");

        using var anonymous = await http.SendAsync(Get("/mlflow/", null));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        using var wrong = await http.SendAsync(Get("/mlflow/", Basic($"{workspace}/alice", "wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        foreach (var page in new[] { "/mlflow/", "/mlflow/experiments/1/runs/abc", "/mlflow/models" })
        {
            using var answer = await http.SendAsync(Get(page, alice));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("mlflow-ui", await answer.Content.ReadAsStringAsync());
        }
        var noRedirects = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var bare = await noRedirects.SendAsync(Get("/mlflow", alice));
        Assert.Equal("/mlflow/", bare.Headers.Location?.OriginalString);
        Assert.Equal("console.log('mlflow');", await http.GetStringAsync("/mlflow/static-files/static/js/main.js"));
        using var missingFile = await http.SendAsync(Get("/mlflow/static-files/static/js/missing.js", alice));
        Assert.Equal(HttpStatusCode.NotFound, missingFile.StatusCode);
        using var missingAsset = await http.SendAsync(Get("/mlflow/favicon.png", alice));
        Assert.Equal(HttpStatusCode.NotFound, missingAsset.StatusCode);
    }

    [Fact]
    public async Task The_clearml_session_cookie_opens_the_page_too()
    {
        var factory = WithUi(BuiltUi());
        var keys = await factory.CreateTenantAsync();
        var token = (await factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey)).Token!;
        var request = Get("/mlflow/experiments/1", null);
        request.Headers.Add("Cookie", "clearml_token_basic=" + token);
        using var answer = await factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("mlflow-ui", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Calls_relative_to_the_page_reach_the_api_datasets_run_artifacts_and_model_version_artifacts()
    {
        var factory = WithUi(BuiltUi());
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        await factory.CreateTenantAsync(workspace);
        var http = factory.CreateClient();
        var alice = Basic($"{workspace}/alice", "alice-password");
        var mlflow = new MlflowClient(http, alice);
        var ui = new UiCalls(http, alice);

        var experiment = (await ui.PostAsync("ajax-api/2.0/mlflow/experiments/create", new { name = "from-the-ui" })).GetProperty("experiment_id").GetString()!;
        var run = (await ui.PostAsync("ajax-api/2.0/mlflow/runs/create", new { experiment_id = experiment }))
            .GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await mlflow.UploadAsync($"{experiment}/{run}/artifacts/model/MLmodel", Encoding.UTF8.GetBytes("flavors: {}\n")));
        Assert.Equal(HttpStatusCode.OK, await mlflow.UploadAsync($"{experiment}/{run}/artifacts/notes.txt", Encoding.UTF8.GetBytes("hello")));
        Assert.Equal("from-the-ui", (await ui.GetAsync($"ajax-api/2.0/mlflow/experiments/get?experiment_id={experiment}"))
            .GetProperty("experiment").GetProperty("name").GetString());
        Assert.Equal(2, (await ui.GetAsync($"ajax-api/2.0/mlflow/artifacts/list?run_uuid={run}")).GetProperty("files").GetArrayLength());

        Assert.Equal("hello", await ui.TextAsync($"get-artifact?path=notes.txt&run_uuid={run}"));
        Assert.Equal("hello", await ui.TextAsync($"/get-artifact?path=notes.txt&run_uuid={run}"));
        await ui.PostAsync("ajax-api/2.0/mlflow/registered-models/create", new { name = "ui-model-" + workspace });
        await ui.PostAsync("ajax-api/2.0/mlflow/model-versions/create",
            new { name = "ui-model-" + workspace, source = $"mlflow-artifacts:/{experiment}/{run}/artifacts/model", run_id = run });
        Assert.Equal("flavors: {}\n", await ui.TextAsync($"model-versions/get-artifact?path=MLmodel&name=ui-model-{workspace}&version=1"));

        await ui.PostAsync("ajax-api/2.0/mlflow/runs/log-inputs", new
        {
            run_id = run,
            datasets = new[] { new { tags = new[] { new { key = "mlflow.data.context", value = "training" } }, dataset = new { name = "digits", digest = "abc123", source_type = "local", source = "{}" } } },
        });
        var dataset = Assert.Single((await ui.PostAsync("ajax-api/2.0/mlflow/experiments/search-datasets", new { experiment_ids = new[] { experiment } }))
            .GetProperty("dataset_summaries").EnumerateArray());
        Assert.Equal((experiment, "digits", "abc123", "training"), (dataset.GetProperty("experiment_id").GetString(), dataset.GetProperty("name").GetString(),
            dataset.GetProperty("digest").GetString(), dataset.GetProperty("context").GetString()));
        Assert.Equal(0, (await ui.GetAsync("ajax-api/2.0/mlflow/gateway-proxy?gateway_path=api%2F2.0%2Fendpoints%2F")).GetProperty("endpoints").GetArrayLength());

        using var missing = await http.SendAsync(Get($"/mlflow/get-artifact?path=nothing.txt&run_uuid={run}", alice));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetString());
        using var unknown = await http.SendAsync(Get("/mlflow/ajax-api/2.0/mlflow/no/such/endpoint", alice));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("ENDPOINT_NOT_FOUND", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetString());
        using var anonymous = await http.SendAsync(Get("/mlflow/ajax-api/2.0/mlflow/experiments/search", null));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
    }

    /// <summary>Calls as the UI's page at /mlflow/ makes them: relative URLs, Basic credentials the browser keeps.</summary>
    private sealed class UiCalls(HttpClient http, AuthenticationHeaderValue authorization)
    {
        private static string Url(string relative) => relative.StartsWith('/') ? relative : "/mlflow/" + relative;

        public async Task<JsonElement> GetAsync(string relative) => await ReadAsync(Get(Url(relative), authorization));

        public async Task<JsonElement> PostAsync(string relative, object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Url(relative)) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
            request.Headers.Authorization = authorization;
            return await ReadAsync(request);
        }

        public async Task<string> TextAsync(string relative)
        {
            using var answer = await http.SendAsync(Get(Url(relative), authorization));
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{relative}: {(int)answer.StatusCode} {text}");
            return text;
        }

        private async Task<JsonElement> ReadAsync(HttpRequestMessage request)
        {
            using var answer = await http.SendAsync(request);
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{request.RequestUri}: {(int)answer.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class MlflowUiHostingTestsOnPostgres(PostgresFixture fixture) : MlflowUiHostingTests(fixture)
{
    protected override MlOpsFactory WithUi(string dir) => fixture.NewServerOnSameDatabase(new Dictionary<string, string> { ["MlOps:MlflowUi:Path"] = dir });
}

[Collection(SqliteCollection.Name)]
public sealed class MlflowUiHostingTestsOnSqlite(SqliteFixture fixture) : MlflowUiHostingTests(fixture)
{
    protected override MlOpsFactory WithUi(string dir) =>
        new("Sqlite", "", Path.Combine(Path.GetTempPath(), "mlops-sqlite-" + Guid.NewGuid().ToString("N")), new Dictionary<string, string> { ["MlOps:MlflowUi:Path"] = dir });
}
