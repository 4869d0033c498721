using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

public abstract class AuthTests(IServerFixture fixture)
{
    private readonly MlOpsFactory _factory = fixture.Factory;

    [Fact]
    public async Task Login_with_bootstrap_keys_returns_a_jwt_with_the_claims_the_sdk_decodes()
    {
        var before = DateTimeOffset.UtcNow;
        var response = await _factory.ClearMl().LoginRawAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);

        var token = new JsonWebToken(response.Ok().GetProperty("token").GetString());
        Assert.Equal("2.31", token.GetPayloadValue<string>("api_version"));
        Assert.Equal("1.17.0", token.GetPayloadValue<string>("server_version"));
        Assert.Equal("basic", token.GetPayloadValue<string>("feature_set"));
        var lifetime = token.ValidTo - before.UtcDateTime;
        Assert.InRange(lifetime.TotalDays, 29.9, 30.1);
        Assert.Equal("auth.login", response.Meta.GetProperty("endpoint").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Login_honours_expiration_sec_from_the_query_string()
    {
        var response = await _factory.ClearMl().LoginRawAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey, "?expiration_sec=600");

        var token = new JsonWebToken(response.Ok().GetProperty("token").GetString());
        Assert.InRange((token.ValidTo - DateTime.UtcNow).TotalSeconds, 590, 601);
    }

    [Fact]
    public async Task Login_with_a_wrong_secret_is_401_in_clearmls_envelope()
    {
        var response = await _factory.ClearMl().LoginRawAsync(MlOpsFactory.AccessKey, "not-the-secret");

        response.AssertError(401, 22);
        Assert.False(string.IsNullOrEmpty(response.Meta.GetProperty("result_msg").GetString()));
    }

    [Fact]
    public async Task Login_with_an_unknown_access_key_is_401()
    {
        var response = await _factory.ClearMl().LoginRawAsync("NOSUCHKEY", MlOpsFactory.SecretKey);

        response.AssertError(401, 22);
    }

    [Fact]
    public async Task A_call_without_credentials_is_401_missing_credentials()
    {
        var response = await _factory.ClearMl().CallAsync("projects.get_all");

        response.AssertError(401, 20);
    }

    [Fact]
    public async Task Basic_credentials_are_accepted_only_by_auth_login()
    {
        var client = _factory.ClearMl();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2.23/projects.get_all") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{MlOpsFactory.AccessKey}:{MlOpsFactory.SecretKey}")));

        var response = await client.SendAsync(request);

        response.AssertError(401, 10);
    }

    [Fact]
    public async Task An_api_key_is_not_a_clearml_credential()
    {
        var client = _factory.ClearMl();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2.23/projects.get_all");
        request.Headers.TryAddWithoutValidation("Authorization", MlOpsFactory.ApiKey);

        var response = await client.SendAsync(request);

        response.AssertError(401, 10);
    }

    [Fact]
    public async Task An_unknown_authorization_scheme_is_401_bad_auth_type()
    {
        var client = _factory.ClearMl();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2.23/projects.get_all");
        request.Headers.TryAddWithoutValidation("Authorization", "Digest abc");

        var response = await client.SendAsync(request);

        response.AssertError(401, 10);
    }

    [Fact]
    public async Task A_forged_token_is_401_invalid_token()
    {
        var genuine = new JsonWebToken((await _factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey)).Token);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = genuine.Issuer,
            Expires = DateTime.UtcNow.AddDays(1),
            Claims = genuine.Claims.Where(c => c.Type is not ("exp" or "iat" or "nbf" or "iss"))
                .ToDictionary(c => c.Type, c => c.Type == "identity" ? (object)System.Text.Json.JsonDocument.Parse(c.Value).RootElement : c.Value),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[64]), SecurityAlgorithms.HmacSha256),
        });
        var client = _factory.ClearMl();
        client.Token = forged;

        var response = await client.CallAsync("projects.get_all");

        response.AssertError(401, 30);
    }

    [Fact]
    public async Task A_garbage_bearer_token_is_401_invalid_token()
    {
        var client = _factory.ClearMl();
        client.Token = "not.a.jwt";

        (await client.CallAsync("projects.get_all")).AssertError(401, 30);
    }

    [Fact]
    public async Task An_expired_token_is_401_and_a_fresh_login_works_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        var client = new ClearMlClient(factory.CreateClient());
        var login = await client.LoginRawAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey, "?expiration_sec=60");
        client.Token = login.Ok().GetProperty("token").GetString();
        clock.Advance(TimeSpan.FromSeconds(61));

        var expired = await client.CallAsync("projects.get_all");

        expired.AssertError(401, 30);
        Assert.Contains("expired", expired.Meta.GetProperty("result_msg").GetString());
        await client.LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        (await client.CallAsync("projects.get_all")).Ok();
    }

    [Fact]
    public async Task Ping_and_server_info_need_no_credentials()
    {
        var client = _factory.ClearMl();

        (await client.CallAsync("debug.ping", version: null)).Ok();
        var info = (await client.CallAsync("server.info")).Ok();

        Assert.Equal("2.31", info.GetProperty("api_version").GetString());
        Assert.Equal(32, info.GetProperty("uid").GetString()!.Length);
    }

    [Fact]
    public async Task Current_user_is_the_owner_of_the_credentials()
    {
        var keys = await _factory.CreateTenantAsync();
        var client = await _factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);

        var user = (await client.CallAsync("users.get_current_user")).Ok().GetProperty("user");

        Assert.Equal("alice", user.GetProperty("name").GetString());
        Assert.StartsWith("ws-", user.GetProperty("company").GetProperty("name").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class AuthTestsOnPostgres(PostgresFixture fixture) : AuthTests(fixture)
{
    [Fact]
    public async Task A_token_issued_before_a_restart_is_accepted_after_it()
    {
        var before = await fixture.Factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var projectId = await before.CreateProjectAsync("restart-" + Guid.NewGuid().ToString("N"));

        await using var restarted = fixture.NewServerOnSameDatabase();
        var after = restarted.ClearMl();
        after.Token = before.Token;

        var project = (await after.CallAsync("projects.get_by_id", new { project = projectId })).Ok();
        Assert.Equal(projectId, project.GetProperty("project").GetProperty("id").GetString());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AuthTestsOnSqlite(SqliteFixture fixture) : AuthTests(fixture);
