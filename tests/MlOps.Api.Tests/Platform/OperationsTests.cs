using System.Net;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

public abstract class OperationsTests(IServerFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy(string path)
    {
        var response = await fixture.Factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_count_requests_per_surface_and_endpoint_committed_ingest_and_time_per_ingest_stage()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync("metrics"), "t");
        (await client.AddEventsAsync(Enumerable.Range(0, 3).Select(i => (object)new
        {
            type = "training_stats_scalar", task, iter = i, metric = "m", variant = "v", value = 1.0, timestamp = 1_790_000_000_000 + i,
        }))).Ok();
        (await new CometClient(fixture.Factory.CreateClient(), keys.ApiKey).GetAsync("account-details")).Ok();

        var text = await fixture.Factory.CreateClient().GetStringAsync("/metrics");

        Assert.Matches("http_request_duration_seconds_count\\{(?=[^}]*endpoint=\"/events.add_batch\")(?=[^}]*surface=\"clearml\")", text);
        Assert.Matches("http_request_duration_seconds_count\\{(?=[^}]*endpoint=\"/api/rest/v2/account-details\")(?=[^}]*surface=\"comet\")", text);
        Assert.Matches("\nmlops_ingested_points_total [1-9]", text);
        foreach (var stage in new[] { "parse", "prepare", "points", "summaries", "commit" })
        {
            Assert.Matches($"\nmlops_ingest_stage_seconds_total{{stage=\"{stage}\"}} [0-9.e-]*[1-9]", text); // some time was spent
        }
    }

    [Fact]
    public async Task Swagger_documents_each_surface_under_its_own_tag()
    {
        var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var login = document.GetProperty("paths").GetProperty("/auth.login");
        Assert.Equal("ClearML", login.GetProperty("get").GetProperty("tags")[0].GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/tasks.get_all", out _));
        var answer = document.GetProperty("paths").GetProperty("/tasks.get_all").GetProperty("post").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["data", "meta"], answer.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.True(answer.GetProperty("properties").GetProperty("meta").GetProperty("properties").TryGetProperty("result_subcode", out _));
        var metadata = document.GetProperty("paths").GetProperty("/api/rest/v2/experiment/metadata");
        Assert.Equal("Comet", metadata.GetProperty("get").GetProperty("tags")[0].GetString());
        var metric = document.GetProperty("paths").GetProperty("/api/rest/v2/write/experiment/metric").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(metric.Split('/').Last());
        Assert.True(schema.GetProperty("properties").TryGetProperty("metricName", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/runs", "post", "name,pipeline_id,stack_id,project_id,status,start_time,end_time")]
    [InlineData("/api/v1/runs/{run_id}", "put", "name,status,start_time,end_time,add_tags,remove_tags")]
    [InlineData("/api/v1/stacks/{stack_id}", "put", "name,description,components")]
    [InlineData("/v2/annotations", "post", "annotations")]
    [InlineData("/v2/users/{user_id}/apps/{app_id}/annotations", "patch", "action,delete_if_empty_data,annotations")]
    [InlineData("/v2/inputs", "post", "inputs")]
    public async Task Swagger_documents_the_json_bodies_zenml_and_clarifai_handlers_read_in_their_field_names(string path, string method, string fields)
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var schema = Referenced(document, document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(fields.Split(',').Order(), schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Swagger_documents_nested_clarifai_request_objects_in_snake_case()
    {
        var document = JsonDocument.Parse(await fixture.Factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json")).RootElement;

        var body = Referenced(document, document.GetProperty("paths").GetProperty("/v2/annotations").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var annotation = Referenced(document, body.GetProperty("properties").GetProperty("annotations").GetProperty("items"));
        Assert.True(annotation.GetProperty("properties").TryGetProperty("input_id", out _));
        var data = Referenced(document, annotation.GetProperty("properties").GetProperty("data"));
        var region = Referenced(document, data.GetProperty("properties").GetProperty("regions").GetProperty("items"));
        Assert.True(region.GetProperty("properties").TryGetProperty("region_info", out _));
    }

    private static JsonElement Referenced(JsonElement document, JsonElement schema)
    {
        var reference = schema.TryGetProperty("$ref", out var direct) ? direct
            : schema.GetProperty("oneOf").EnumerateArray().Single(s => s.TryGetProperty("$ref", out _)).GetProperty("$ref");
        return document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/').Last());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class OperationsTestsOnPostgres(PostgresFixture fixture) : OperationsTests(fixture)
{
    [Fact]
    public async Task Metrics_include_the_npgsql_connection_pool()
    {
        var client = await fixture.Factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        (await client.CallAsync("projects.get_all")).Ok();

        var text = await fixture.Factory.CreateClient().GetStringAsync("/metrics");

        Assert.Contains("npgsql_db_client_connection_count", text);
    }

    [Fact]
    public async Task The_server_refuses_to_start_when_its_database_is_unreachable()
    {
        var unreachable = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2";
        await using var factory = new MlOpsFactory("Postgres", unreachable, Path.GetTempPath());

        var error = await Record.ExceptionAsync(() => Task.FromResult(factory.Server));

        Assert.NotNull(error);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class OperationsTestsOnSqlite(SqliteFixture fixture) : OperationsTests(fixture);
