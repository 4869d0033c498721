using System.Net.Http.Headers;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class EnvelopeTests(IServerFixture fixture)
{
    private async Task<ClearMlClient> LoggedInAsync() =>
        await fixture.Factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);

    [Theory]
    [InlineData("2.23", "GET")]
    [InlineData("2.31", "POST")]
    [InlineData("2.1", "GET")]
    [InlineData(null, "POST")]
    public async Task Every_endpoint_answers_versioned_and_unversioned_with_get_or_post(string? version, string method)
    {
        var client = await LoggedInAsync();

        var response = await client.CallAsync("projects.get_all", new { page_size = 1 }, version, new HttpMethod(method));

        response.Ok();
        var meta = response.Meta;
        Assert.Equal(32, meta.GetProperty("id").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(meta.GetProperty("trx").GetString()));
        Assert.Equal("projects.get_all", meta.GetProperty("endpoint").GetProperty("name").GetString());
        Assert.Equal(version ?? "2.31", meta.GetProperty("endpoint").GetProperty("requested_version").GetString());
        Assert.Equal(0, response.ResultSubcode);
        Assert.Equal("OK", meta.GetProperty("result_msg").GetString());
    }

    [Fact]
    public async Task Query_parameters_are_request_fields()
    {
        var client = await LoggedInAsync();
        var id = await client.CreateProjectAsync("query-" + Guid.NewGuid().ToString("N"));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v2.23/projects.get_by_id?project={id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);

        var project = (await client.SendAsync(request)).Ok().GetProperty("project");

        Assert.Equal(id, project.GetProperty("id").GetString());
    }

    /// <summary>Every action of ClearML's schema is answered, and the configuration shows nothing secret.</summary>
    [Fact]
    public async Task Server_endpoints_lists_the_actions_and_config_keeps_secrets_out()
    {
        var client = await LoggedInAsync();

        var endpoints = (await client.CallAsync("server.endpoints")).Ok().GetProperty("endpoints");
        var config = (await client.CallAsync("server.config")).Ok();
        var statistics = (await client.CallAsync("server.config", new { path = "statistics" })).Ok();

        var names = endpoints.EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("reports.get_task_data", names);
        Assert.Contains("serving.get_endpoint_metrics_history", names);
        Assert.Contains("storage.reset_settings", names);
        Assert.True(names.Count >= 202, $"{names.Count} actions listed");
        Assert.Equal(30, statistics.GetProperty("retention_days").GetInt32());
        Assert.Equal("2.31", config.GetProperty("apiserver").GetProperty("api_version").GetString());
        Assert.DoesNotContain(MlOpsFactory.SecretKey, config.GetRawText());
        Assert.DoesNotContain("admin-password", config.GetRawText());
        (await client.CallAsync("server.config", new { path = "bootstrap.secret_key" })).AssertError(400, 12);
    }

    [Fact]
    public async Task An_unknown_endpoint_is_a_404_envelope()
    {
        var client = await LoggedInAsync();

        var response = await client.CallAsync("tasks.no_such_action");

        response.AssertError(404, 0);
        Assert.Contains("tasks.no_such_action", response.Meta.GetProperty("result_msg").GetString());
    }

    [Fact]
    public async Task Malformed_json_is_400_validation_error()
    {
        var client = await LoggedInAsync();

        (await client.CallAsync("tasks.get_by_id", "{\"task\": ")).AssertError(400, 12);
        (await client.CallAsync("tasks.get_by_id", "[1, 2]")).AssertError(400, 12);
        (await client.CallAsync("tasks.get_all", new { page_size = "many" })).AssertError(400, 12);
    }

    [Fact]
    public async Task Bad_ids_are_400_with_the_entitys_subcode_never_404_or_500()
    {
        var client = await LoggedInAsync();
        var missing = Guid.NewGuid().ToString("N");

        (await client.CallAsync("tasks.get_by_id", new { task = "not-an-id" })).AssertError(400, 101);
        (await client.CallAsync("tasks.get_by_id", new { task = missing })).AssertError(400, 101);
        (await client.CallAsync("tasks.completed", new { task = missing })).AssertError(400, 101);
        (await client.CallAsync("projects.get_by_id", new { project = missing })).AssertError(400, 401);
        (await client.CallAsync("tasks.create", new { name = "t", type = "training", project = missing })).AssertError(400, 16);
    }

    [Fact]
    public async Task Missing_required_fields_are_400_with_clearmls_subcodes()
    {
        var client = await LoggedInAsync();

        var noTask = await client.CallAsync("tasks.get_by_id", new { });
        noTask.AssertError(400, 12);
        Assert.Contains("'task'", noTask.Meta.GetProperty("result_msg").GetString());
        (await client.CallAsync("tasks.create", new { name = "no type" })).AssertError(400, 12);
        (await client.CallAsync("projects.create", new { description = "no name" })).AssertError(400, 11);
    }

    [Fact]
    public async Task An_empty_body_with_json_lines_content_type_is_accepted()
    {
        var client = await LoggedInAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2.23/projects.get_all") { Content = new StringContent("", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);

        (await client.SendAsync(request)).Ok();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class EnvelopeTestsOnPostgres(PostgresFixture fixture) : EnvelopeTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class EnvelopeTestsOnSqlite(SqliteFixture fixture) : EnvelopeTests(fixture);
