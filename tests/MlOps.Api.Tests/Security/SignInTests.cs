using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data.Entities;
using MlOps.Data.Security;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// Signing out revokes the token on the server (every surface that takes tokens refuses it afterwards), passwords are
/// rehashed to the configured strength at sign-in, and password guessing is throttled per user name and per address.
/// </summary>
public abstract class SignInTests(IServerFixture fixture)
{
    private sealed record Account(string Workspace, string User, string Password, IssuedCredentials Keys);

    private async Task<Account> AccountAsync(MlOpsFactory? factory = null)
    {
        factory ??= fixture.Factory;
        var workspace = "signin-" + Guid.NewGuid().ToString("N")[..10];
        var user = "user-" + Guid.NewGuid().ToString("N")[..8];
        var admin = factory.Services.GetRequiredService<TenantAdmin>();
        await admin.CreateWorkspaceAsync(workspace, CancellationToken.None);
        await admin.CreateUserAsync(workspace, user, "pw-" + user, UserRole.User, CancellationToken.None);
        return new Account(workspace, user, "pw-" + user, await admin.CreateCredentialsAsync(workspace, user, CancellationToken.None));
    }

    [Fact]
    public async Task ClearMl_logout_revokes_the_presented_token_but_not_the_callers_other_tokens()
    {
        var account = await AccountAsync();
        var signedOut = await fixture.Factory.ClearMl().LoginAsync(account.Keys.AccessKey, account.Keys.SecretKey);
        var other = await fixture.Factory.ClearMl().LoginAsync(account.Keys.AccessKey, account.Keys.SecretKey);
        (await signedOut.CallAsync("users.get_current_user")).Ok();

        (await signedOut.CallAsync("auth.logout")).Ok();

        (await signedOut.CallAsync("users.get_current_user")).AssertError(401, 30);
        (await signedOut.CallAsync("auth.logout")).AssertError(401, 30);
        var zen = new ZenMlClient(fixture.Factory.CreateClient()) { Token = signedOut.Token };
        (await zen.GetAsync("/current-user")).AssertError(HttpStatusCode.Unauthorized, "AuthorizationException");
        (await other.CallAsync("users.get_current_user")).Ok();
    }

    [Fact]
    public async Task ZenMl_logout_and_the_web_uis_login_logout_revoke_their_tokens()
    {
        var account = await AccountAsync();
        var zen = await ZenMlClient.LoginAsync(fixture.Factory.CreateClient(), $"{account.Workspace}/{account.User}", account.Password);
        (await zen.GetAsync("/current-user")).Ok();
        var logout = new HttpRequestMessage(HttpMethod.Get, "/api/v1/logout") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", zen.Token) } };
        Assert.Equal(HttpStatusCode.OK, (await fixture.Factory.CreateClient().SendAsync(logout)).StatusCode);
        (await zen.GetAsync("/current-user")).AssertError(HttpStatusCode.Unauthorized, "AuthorizationException");

        // The web UI signs in with user:password and then sends only its session cookie.
        var browser = fixture.Factory.CreateClient();
        var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/v2.31/auth.login") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        signIn.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.Workspace}/{account.User}:{account.Password}")));
        var session = (await browser.SendAsync(signIn)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("clearml_token_basic=", StringComparison.Ordinal));
        var cookie = session[..session.IndexOf(';')];
        async Task<HttpStatusCode> WithCookieAsync(string endpoint)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2.31/" + endpoint) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Add("Cookie", cookie);
            return (await browser.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync("users.get_current_user"));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync("login.logout"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync("users.get_current_user"));
    }

    [Fact]
    public async Task A_password_stored_with_fewer_iterations_is_rehashed_at_the_next_sign_in()
    {
        var account = await AccountAsync();
        var configured = fixture.Factory.Services.GetRequiredService<PasswordHasher>().Iterations;
        var weak = new PasswordHasher(configured / 2).Hash(account.Password);
        await using (var db = fixture.Factory.Services.GetRequiredService<WorkspaceContextFactory>().For(null))
        {
            await db.Users.IgnoreQueryFilters().Where(u => u.Name == account.User).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, weak));
        }

        await ZenMlClient.LoginAsync(fixture.Factory.CreateClient(), $"{account.Workspace}/{account.User}", account.Password);

        await using var check = fixture.Factory.Services.GetRequiredService<WorkspaceContextFactory>().For(null);
        var stored = await check.Users.IgnoreQueryFilters().Where(u => u.Name == account.User).Select(u => u.PasswordHash).SingleAsync();
        Assert.StartsWith($"pbkdf2-sha256${configured}$", stored);
        await ZenMlClient.LoginAsync(fixture.Factory.CreateClient(), $"{account.Workspace}/{account.User}", account.Password);
    }

    /// <summary>A server on the same database whose test requests say which client address they come from.</summary>
    private static WebApplicationFactory<Program> WithClientAddresses(MlOpsFactory factory) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>()));

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (http.Request.Headers.TryGetValue("X-Test-Client", out var address))
                {
                    http.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }
                return nextMiddleware(http);
            });
            next(app);
        };
    }

    private static HttpRequestMessage ClearMlSignIn(string user, string password, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth.login");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        request.Headers.Add("X-Test-Client", address);
        return request;
    }

    private static HttpRequestMessage ZenMlSignIn(string user, string password, string address) => new(HttpMethod.Post, "/api/v1/login")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = password }),
        Headers = { { "X-Test-Client", address } },
    };

    [Fact]
    public async Task Ten_failures_for_one_user_name_throttle_that_name_with_429_and_retry_after_and_nothing_else()
    {
        using var server = WithClientAddresses(fixture.Factory);
        var http = server.CreateClient();
        var victim = await AccountAsync();
        var bystander = await AccountAsync();
        var victimName = $"{victim.Workspace}/{victim.User}";
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(ClearMlSignIn(victimName, "guess-" + i, $"10.1.0.{i + 1}"))).StatusCode);
        }

        var throttled = await http.SendAsync(ClearMlSignIn(victimName, victim.Password, "10.1.0.99"));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(int.Parse(throttled.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        var envelope = System.Text.Json.JsonDocument.Parse(await throttled.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, envelope.GetProperty("meta").GetProperty("result_code").GetInt32());
        var zen = await http.SendAsync(ZenMlSignIn(victimName, victim.Password, "10.1.0.98"));
        Assert.Equal(HttpStatusCode.TooManyRequests, zen.StatusCode);
        Assert.True(zen.Headers.Contains("Retry-After"));
        Assert.Equal("IllegalOperationError", System.Text.Json.JsonDocument.Parse(await zen.Content.ReadAsStringAsync()).RootElement.GetProperty("detail")[0].GetString());

        // Another user, and the victim's own key pair, still sign in.
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(ClearMlSignIn($"{bystander.Workspace}/{bystander.User}", bystander.Password, "10.1.0.97"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(ClearMlSignIn(victim.Keys.AccessKey, victim.Keys.SecretKey, "10.1.0.96"))).StatusCode);
    }

    [Fact]
    public async Task Ten_failures_from_one_address_throttle_that_address_and_no_other()
    {
        using var server = WithClientAddresses(fixture.Factory);
        var http = server.CreateClient();
        var account = await AccountAsync();
        var name = $"{account.Workspace}/{account.User}";
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(ZenMlSignIn("nobody-" + Guid.NewGuid().ToString("N"), "x", "10.2.0.1"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SendAsync(ZenMlSignIn(name, account.Password, "10.2.0.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(ZenMlSignIn(name, account.Password, "10.2.0.2"))).StatusCode);
    }

    [Fact]
    public async Task Wrong_secrets_for_a_known_key_pair_are_not_password_guesses()
    {
        using var server = WithClientAddresses(fixture.Factory);
        var http = server.CreateClient();
        var account = await AccountAsync();
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(ClearMlSignIn(account.Keys.AccessKey, "wrong-" + i, "10.3.0.1"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(ZenMlSignIn($"{account.Workspace}/{account.User}", account.Password, "10.3.0.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(ClearMlSignIn(account.Keys.AccessKey, account.Keys.SecretKey, "10.3.0.1"))).StatusCode);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class SignInTestsOnPostgres(PostgresFixture fixture) : SignInTests(fixture)
{
    [Fact]
    public async Task A_token_signed_out_on_one_replica_is_refused_by_another()
    {
        using var other = fixture.NewServerOnSameDatabase();
        var client = await fixture.Factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var onOther = new ClearMlClient(other.CreateClient()) { Token = client.Token };
        (await onOther.CallAsync("users.get_current_user")).Ok();

        (await client.CallAsync("auth.logout")).Ok();

        var deadline = DateTime.UtcNow + MlOps.Api.Auth.TokenRevocations.Refresh + TimeSpan.FromSeconds(5);
        ClearMlResponse answer;
        while ((answer = await onOther.CallAsync("users.get_current_user")).Status == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        answer.AssertError(401, 30);
    }

    /// <summary>The other replica read its list just before; without the cluster message it would accept the token for up to 2 s more.</summary>
    [Fact]
    public async Task A_sign_out_reaches_another_replica_before_its_next_reload()
    {
        using var other = fixture.NewServerOnSameDatabase();
        var client = await fixture.Factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var onOther = new ClearMlClient(other.CreateClient()) { Token = client.Token };
        (await onOther.CallAsync("users.get_current_user")).Ok();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // both replicas listening; the other's list is stale...
        (await onOther.CallAsync("users.get_current_user")).Ok(); // ...so this reloads it: the next reload is 2 s away

        (await client.CallAsync("auth.logout")).Ok();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        ClearMlResponse answer;
        while ((answer = await onOther.CallAsync("users.get_current_user")).Status == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        answer.AssertError(401, 30);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SignInTestsOnSqlite(SqliteFixture fixture) : SignInTests(fixture);
