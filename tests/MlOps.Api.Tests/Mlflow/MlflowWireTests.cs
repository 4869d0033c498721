using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Mlflow;

/// <summary>
/// MLflow's wire rules: numbers as JSON numbers or strings (MLflow's R client sends strings), MLflow's error codes and
/// statuses, and bad input (wrong types, NUL characters, strings past MLflow's limits) refused whole, before anything is written.
/// </summary>
public abstract class MlflowWireTests(IServerFixture fixture)
{
    private async Task<(MlflowClient Mlflow, string Experiment, string Run)> RunAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var mlflow = MlflowClient.WithToken(fixture.Factory.CreateClient(), keys.ApiKey);
        var experiment = (await mlflow.PostAsync("experiments/create", new { name = "wire-" + Guid.NewGuid().ToString("N")[..8] })).Ok().GetProperty("experiment_id").GetString()!;
        var run = (await mlflow.PostAsync("runs/create", new { experiment_id = experiment, run_name = "wire-run" })).Ok().GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        return (mlflow, experiment, run);
    }

    private static async Task<System.Text.Json.JsonElement> DataAsync(MlflowClient mlflow, string run) =>
        (await mlflow.GetAsync($"runs/get?run_id={run}")).Ok().GetProperty("run").GetProperty("data");

    [Fact]
    public async Task Numbers_sent_as_strings_are_taken_as_numbers_infinities_as_the_largest_values_and_nan_is_not_stored()
    {
        var (mlflow, _, run) = await RunAsync();

        (await mlflow.PostRawAsync("runs/log-metric", $$"""{"run_id": "{{run}}", "key": "loss", "value": "0.5", "timestamp": "1790000000000", "step": "7"}""")).Ok();
        (await mlflow.PostRawAsync("runs/log-metric", $$"""{"run_id": "{{run}}", "key": "loss", "value": "Infinity", "timestamp": 1790000001000, "step": 8}""")).Ok();
        (await mlflow.PostRawAsync("runs/log-metric", $$"""{"run_id": "{{run}}", "key": "loss", "value": "NaN", "timestamp": 1790000002000, "step": 9}""")).Ok();

        var history = (await mlflow.GetAsync($"metrics/get-history?run_id={run}&metric_key=loss")).Ok().GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal([7L, 8L], history.Select(m => m.GetProperty("step").GetInt64()));
        Assert.Equal(0.5, history[0].GetProperty("value").GetDouble());
        Assert.Equal(1790000000000, history[0].GetProperty("timestamp").GetInt64());
        Assert.Equal(double.MaxValue, history[1].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_batch_with_one_bad_item_is_refused_whole()
    {
        var (mlflow, _, run) = await RunAsync();
        var batches = new[]
        {
            $$"""{"run_id": "{{run}}", "params": [{"key": "lr", "value": "0.1"}], "metrics": [{"key": "loss", "value": "high", "timestamp": 1, "step": 0}]}""",
            $$"""{"run_id": "{{run}}", "params": [{"key": "lr", "value": "0.1"}], "tags": [{"key": "note", "value": "a\u0000b"}]}""",
            $$"""{"run_id": "{{run}}", "params": [{"key": "lr", "value": "0.1"}], "tags": [{"key": "{{new string('k', 300)}}", "value": "v"}]}""",
            $$"""{"run_id": "{{run}}", "params": [{"key": "lr", "value": "{{new string('v', 6001)}}"}]}""",
            $$"""{"run_id": "{{run}}", "params": [{"key": "lr", "value": "0.1"}, {"key": "lr", "value": "0.2"}]}""",
            $$"""{"run_id": "{{run}}", "metrics": {"key": "loss"} }""",
            $$"""{"run_id": "{{run}}", "params": [{"key": "lr", "value": "0.1"}], "metrics": [{"key": "loss", "value": 1, "step": 0}]}""",
        };
        foreach (var batch in batches)
        {
            (await mlflow.PostRawAsync("runs/log-batch", batch)).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        }

        var data = await DataAsync(mlflow, run);
        Assert.Empty(data.GetProperty("params").EnumerateArray());
        Assert.Empty(data.GetProperty("metrics").EnumerateArray());
        Assert.DoesNotContain(data.GetProperty("tags").EnumerateArray(), t => t.GetProperty("key").GetString() == "note");
    }

    [Fact]
    public async Task Wrong_types_huge_strings_and_nul_characters_are_mlflows_400()
    {
        var (mlflow, experiment, run) = await RunAsync();
        (await mlflow.PostRawAsync("runs/log-metric", $$"""{"run_id": "{{run}}", "key": "loss", "value": {"a": 1}, "timestamp": 1}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("runs/log-metric", $$"""{"run_id": "{{run}}", "key": "loss", "value": 1, "timestamp": 1, "step": 1.5}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("runs/set-tag", $$"""{"run_id": "{{run}}", "key": "k", "value": "{{new string('x', 100_000)}}"}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("runs/set-tag", $$"""{"run_id": "{{run}}", "key": "k\u0000", "value": "v"}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("experiments/create", """{"name": ["a"]}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("experiments/create", $$"""{"name": "{{new string('n', 100_000)}}"}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("runs/search", $$"""{"experiment_ids": ["{{experiment}}"], "max_results": "many"}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("runs/log-metric", $$"""{"run_id": "{{run}}", "key": "loss", "value": 1e400, "timestamp": 1}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("runs/log-metric", $$"""{"run_id": "{{run}}", "key": "loss", "value": 1, "timestamp": 99999999999999999999}""")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostRawAsync("experiments/create", """{"name": "twice-tagged", "tags": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]}""")).Ok();
        var malformed = await mlflow.PostRawAsync("runs/update", "{\"run_id\": ");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);

        var tags = (await DataAsync(mlflow, run)).GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("key").GetString());
        Assert.DoesNotContain("k", tags);
    }

    [Fact]
    public async Task Errors_carry_mlflows_codes_and_statuses()
    {
        var (mlflow, experiment, run) = await RunAsync();
        (await mlflow.GetAsync($"runs/get?run_id={Guid.NewGuid():N}")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await mlflow.GetAsync("runs/get?run_id=not-an-id")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await mlflow.GetAsync("runs/get")).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.GetAsync($"experiments/get?experiment_id={Guid.NewGuid():N}")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var name = (await mlflow.GetAsync($"experiments/get?experiment_id={experiment}")).Ok().GetProperty("experiment").GetProperty("name").GetString();
        (await mlflow.PostAsync("experiments/create", new { name })).AssertError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        (await mlflow.GetAsync("no-such/endpoint")).AssertError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        (await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, filter = "metrics.loss ~ 1" })).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostAsync("runs/update", new { run_id = run, status = "DONE" })).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await mlflow.PostAsync("registered-models/create", new { name = "m" })).Ok();
        (await mlflow.PostAsync("registered-models/create", new { name = "m" })).AssertError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        (await mlflow.PostAsync("registered-models/alias", new { name = "m", alias = "latest", version = "1" })).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task The_uis_ajax_api_prefix_serves_the_same_api()
    {
        var (mlflow, _, run) = await RunAsync();
        (await mlflow.PostAsync("runs/log-metric", new { run_id = run, key = "acc", value = 0.5, timestamp = 1790000000000, step = 1 })).Ok();

        var bulk = (await mlflow.SendAsync(new HttpRequestMessage(
            HttpMethod.Get, $"/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids={run}&metric_key=acc&max_results=5"))).Ok();

        var point = Assert.Single(bulk.GetProperty("metrics").EnumerateArray());
        Assert.Equal(run, point.GetProperty("run_id").GetString());
        Assert.Equal(0.5, point.GetProperty("value").GetDouble());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class MlflowWireTestsOnPostgres(PostgresFixture fixture) : MlflowWireTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class MlflowWireTestsOnSqlite(SqliteFixture fixture) : MlflowWireTests(fixture);
