using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.WebUi;

/// <summary>Serving a built ClearML web UI: its files, deep links, configuration.json, the /api prefix, the session cookie, CORS.</summary>
public abstract class WebUiHostingTests(IServerFixture fixture)
{
    protected const string Origin = "http://ui.example:8080";

    protected static string BuiltUi(bool withConfiguration = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlops-webui-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "assets"));
        File.WriteAllText(Path.Combine(dir, "index.html"), "<html><body>clearml-ui</body></html>");
        File.WriteAllText(Path.Combine(dir, "env.js"), "window.env = {};");
        File.WriteAllText(Path.Combine(dir, "assets", "app.js"), "console.log('app');");
        if (withConfiguration)
        {
            File.WriteAllText(Path.Combine(dir, "configuration.json"), "{\"apiBaseUrl\": \"https://api.example\"}");
        }
        return dir;
    }

    protected HttpClient Client(MlOpsFactory factory) => factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

    [Fact]
    public async Task Without_the_setting_there_is_no_ui()
    {
        var http = Client(fixture.Factory);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/projects/abc")).StatusCode);
        Assert.Null((await http.GetAsync("/api/v999.0/server.info")).Headers.Vary.FirstOrDefault(v => v == "Origin"));
    }

    protected static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    protected static HttpRequestMessage WithCookie(string endpoint, string? cookie, string body = "{}")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v999.0/{endpoint}") { Content = Json(body) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        return request;
    }

    protected static async Task<JsonElement> Call(HttpClient http, string endpoint, string? cookie = null, string body = "{}")
    {
        var response = await http.SendAsync(WithCookie(endpoint, cookie, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{endpoint}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class WebUiHostingTestsOnPostgres(PostgresFixture fixture) : WebUiHostingTests(fixture)
{
    private MlOpsFactory WithUi(string dir) => fixture.NewServerOnSameDatabase(new Dictionary<string, string>
    {
        ["MlOps:WebUi:Path"] = dir,
        ["MlOps:Cors:Origins:0"] = Origin,
    });

    [Fact]
    public async Task The_built_ui_is_served_with_deep_links_its_own_files_and_a_default_configuration()
    {
        var http = Client(WithUi(BuiltUi()));
        Assert.Contains("clearml-ui", await http.GetStringAsync("/"));
        Assert.Contains("clearml-ui", await http.GetStringAsync("/projects/abc/experiments/def/output/execution"));
        Assert.Equal("window.env = {};", await http.GetStringAsync("/env.js"));
        Assert.Equal("console.log('app');", await http.GetStringAsync("/assets/app.js"));
        var configuration = JsonDocument.Parse(await http.GetStringAsync("/configuration.json")).RootElement;
        Assert.Equal(("/api", "/files"), (configuration.GetProperty("apiBaseUrl").GetString(), configuration.GetProperty("fileBaseUrl").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/missing.png")).StatusCode);

        var info = JsonDocument.Parse(await (await http.PostAsync("/api/v999.0/server.info", Json("{}"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("999.0", "2.31"), (info.GetProperty("meta").GetProperty("endpoint").GetProperty("requested_version").GetString(),
            info.GetProperty("meta").GetProperty("endpoint").GetProperty("actual_version").GetString()));
        var unknown = await http.PostAsync("/api/v999.0/nothing.here", Json("{}"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(404, JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("meta").GetProperty("result_code").GetInt32());
        var comet = await http.GetAsync("/api/rest/v2/no-such-endpoint");
        Assert.DoesNotContain("clearml-ui", await comet.Content.ReadAsStringAsync());

        var own = Client(WithUi(BuiltUi(withConfiguration: true)));
        Assert.Contains("https://api.example", await own.GetStringAsync("/configuration.json"));
    }

    [Fact]
    public async Task A_user_signs_in_with_name_and_password_and_the_session_cookie_is_the_credential()
    {
        var factory = WithUi(BuiltUi());
        var http = Client(factory);
        Assert.False((await Call(http, "login.supported_modes")).GetProperty("data").GetProperty("authenticated").GetBoolean());

        var login = new HttpRequestMessage(HttpMethod.Post, "/api/v999.0/auth.login") { Content = Json("{}") };
        login.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:admin-password")));
        var answer = await http.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var setCookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("clearml_token_basic=", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];

        var me = await Call(http, "users.get_current_user", cookie);
        Assert.Equal("admin", me.GetProperty("data").GetProperty("user").GetProperty("name").GetString());
        Assert.True((await Call(http, "login.supported_modes", cookie)).GetProperty("data").GetProperty("authenticated").GetBoolean());
        await Call(http, "users.set_preferences", cookie, "{\"preferences\": {\"views\": {\"experiments\": {\"cols\": [\"name\"]}}}}");
        Assert.Equal("name", (await Call(http, "users.get_preferences", cookie)).GetProperty("data").GetProperty("preferences")
            .GetProperty("views").GetProperty("experiments").GetProperty("cols")[0].GetString());

        var upload = new HttpRequestMessage(HttpMethod.Post, "/files")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent("pixels"u8.ToArray()), "ui-check/debug.txt", "ui-check/debug.txt" } },
        };
        upload.Headers.Add("Cookie", cookie);
        Assert.True((await http.SendAsync(upload)).IsSuccessStatusCode);
        var image = new HttpRequestMessage(HttpMethod.Get, "/files/ui-check/debug.txt");
        image.Headers.Add("Cookie", cookie);
        Assert.Equal("pixels", await (await http.SendAsync(image)).Content.ReadAsStringAsync());

        var logout = new HttpRequestMessage(HttpMethod.Post, "/api/v999.0/login.logout") { Content = Json("{}") };
        logout.Headers.Add("Cookie", cookie);
        var cleared = Assert.Single((await http.SendAsync(logout)).Headers.GetValues("Set-Cookie"));
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);

        var rejected = await http.SendAsync(WithCookie("users.get_current_user", "clearml_token_basic=not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(401, JsonDocument.Parse(await rejected.Content.ReadAsStringAsync()).RootElement.GetProperty("meta").GetProperty("result_code").GetInt32());
        var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/v999.0/auth.login") { Content = Json("{}") };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:wrong")));
        var refused = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_ui_on_another_origin_may_call_with_credentials_and_others_may_not()
    {
        var http = Client(WithUi(BuiltUi()));
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v999.0/auth.login");
        preflight.Headers.Add("Origin", Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-allegro-client");
        var answer = await http.SendAsync(preflight);
        Assert.True(answer.IsSuccessStatusCode, answer.StatusCode.ToString());
        Assert.Equal(Origin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", answer.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Contains("x-allegro-client", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());

        var unauthorized = WithCookie("tasks.get_all_ex", null);
        unauthorized.Headers.Add("Origin", Origin);
        var denied = await http.SendAsync(unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal(Origin, denied.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var foreign = WithCookie("server.info", null);
        foreign.Headers.Add("Origin", "http://evil.example");
        Assert.False((await http.SendAsync(foreign)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class WebUiHostingTestsOnSqlite(SqliteFixture fixture) : WebUiHostingTests(fixture);
