using System.Net;
using System.Net.Http.Headers;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Mlflow;

/// <summary>
/// MLflow clients sign in with MLFLOW_TRACKING_USERNAME/PASSWORD (Basic, a user of a workspace) or MLFLOW_TRACKING_TOKEN
/// (Bearer: an API key or a JWT); each sees its own workspace only, and a refusal is MLflow's 401.
/// </summary>
public abstract class MlflowAuthTests(IServerFixture fixture)
{
    private async Task<(string Workspace, Data.Tenancy.IssuedCredentials Keys)> TenantAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        return (workspace, await fixture.Factory.CreateTenantAsync(workspace));
    }

    [Fact]
    public async Task Username_and_password_api_key_and_jwt_all_reach_the_same_workspace()
    {
        var (workspace, keys) = await TenantAsync();
        var byKey = MlflowClient.WithToken(fixture.Factory.CreateClient(), keys.ApiKey);
        var id = (await byKey.PostAsync("experiments/create", new { name = "shared" })).Ok().GetProperty("experiment_id").GetString();

        var byPassword = MlflowClient.WithPassword(fixture.Factory.CreateClient(), $"{workspace}/alice", "alice-password");
        var token = (await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey)).Token!;
        var byJwt = MlflowClient.WithToken(fixture.Factory.CreateClient(), token);
        foreach (var client in new[] { byPassword, byJwt })
        {
            Assert.Equal(id, (await client.GetAsync("experiments/get-by-name?experiment_name=shared")).Ok().GetProperty("experiment").GetProperty("experiment_id").GetString());
        }
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_the_runs_and_cannot_log_to_them()
    {
        var (_, owner) = await TenantAsync();
        var (_, other) = await TenantAsync();
        var mlflow = MlflowClient.WithToken(fixture.Factory.CreateClient(), owner.ApiKey);
        var intruder = MlflowClient.WithToken(fixture.Factory.CreateClient(), other.ApiKey);
        var experiment = (await mlflow.PostAsync("experiments/create", new { name = "private" })).Ok().GetProperty("experiment_id").GetString()!;
        var run = (await mlflow.PostAsync("runs/create", new { experiment_id = experiment })).Ok().GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;

        (await intruder.GetAsync($"runs/get?run_id={run}")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await intruder.PostAsync("runs/log-metric", new { run_id = run, key = "loss", value = 1, timestamp = 1790000000000 })).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await intruder.GetAsync("experiments/get-by-name?experiment_name=private")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.DoesNotContain((await intruder.PostAsync("experiments/search", new { })).Ok().GetProperty("experiments").EnumerateArray(),
            e => e.GetProperty("name").GetString() == "private");
        Assert.Empty((await mlflow.GetAsync($"metrics/get-history?run_id={run}&metric_key=loss")).Ok().GetProperty("metrics").EnumerateArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic YWxpY2U6d3Jvbmc=")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Bearer a.b.c")]
    [InlineData("bootstrap-api-key-for-tests")]
    public async Task Missing_or_wrong_credentials_get_mlflows_401(string? authorization)
    {
        var http = fixture.Factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/2.0/mlflow/experiments/search");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        var answer = await new MlflowClient(http, null).SendAsync(request);
        answer.AssertError(HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    [Fact]
    public async Task An_api_key_sent_as_a_bearer_token_opens_mlflow_only()
    {
        var (_, keys) = await TenantAsync();
        var http = fixture.Factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/current-user");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.ApiKey);
        using var zenMl = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, zenMl.StatusCode);
        var clearMl = new HttpRequestMessage(HttpMethod.Post, "/tasks.get_all") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        clearMl.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.ApiKey);
        using var clearMlAnswer = await http.SendAsync(clearMl);
        Assert.Equal(HttpStatusCode.Unauthorized, clearMlAnswer.StatusCode);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class MlflowAuthTestsOnPostgres(PostgresFixture fixture) : MlflowAuthTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class MlflowAuthTestsOnSqlite(SqliteFixture fixture) : MlflowAuthTests(fixture);
