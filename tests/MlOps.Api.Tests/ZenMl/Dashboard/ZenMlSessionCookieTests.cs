using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>ZenML's dashboard never sends Authorization: it lives on the HttpOnly cookie a password login sets.</summary>
public abstract class ZenMlSessionCookieTests(IServerFixture fixture)
{
    private HttpClient Browser() => fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

    private async Task<string> ServerIdAsync(HttpClient http) =>
        (await new ZenMlClient(http).GetAsync("/info")).Ok().GetProperty("id").GetString()!;

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient http, string user, string password, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = password }),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return await http.SendAsync(request);
    }

    private static HttpRequestMessage WithCookie(HttpMethod method, string path, string cookie)
    {
        var request = new HttpRequestMessage(method, "/api/v1" + path);
        request.Headers.Add("Cookie", cookie);
        return request;
    }

    [Fact]
    public async Task Password_login_sets_the_servers_httponly_lax_cookie_that_authenticates_every_call()
    {
        var tenant = await DashboardTenant.CreateAsync(fixture);
        var http = Browser();
        var login = await LoginAsync(http, tenant.User, tenant.Password, origin: "http://localhost");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"zenml-server-{await ServerIdAsync(http)}=", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);

        var cookie = setCookie.Split(';')[0];
        var me = await http.SendAsync(WithCookie(HttpMethod.Get, "/current-user", cookie));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains(tenant.User, await me.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(WithCookie(HttpMethod.Get, "/pipelines", cookie))).StatusCode);
    }

    [Fact]
    public async Task A_login_from_another_site_gets_a_cookie_marked_samesite_none_and_secure()
    {
        var tenant = await DashboardTenant.CreateAsync(fixture);
        var login = await LoginAsync(Browser(), tenant.User, tenant.Password, origin: "http://dashboard.example:3000");

        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("samesite=none", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Logout_clears_the_cookie_and_signs_its_token_out()
    {
        var tenant = await DashboardTenant.CreateAsync(fixture);
        var http = Browser();
        var cookie = (await LoginAsync(http, tenant.User, tenant.Password)).Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        var logout = await http.SendAsync(WithCookie(HttpMethod.Get, "/logout", cookie));

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        var cleared = Assert.Single(logout.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(cookie.Split('=')[0] + "=;", cleared);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        var after = await http.SendAsync(WithCookie(HttpMethod.Get, "/current-user", cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_cookie_of_another_name_or_a_forged_value_is_not_a_session()
    {
        var tenant = await DashboardTenant.CreateAsync(fixture);
        var http = Browser();
        var cookie = (await LoginAsync(http, tenant.User, tenant.Password)).Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var token = cookie[(cookie.IndexOf('=') + 1)..];

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(WithCookie(HttpMethod.Get, "/current-user", "zenml-server-other=" + token))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(WithCookie(HttpMethod.Get, "/current-user", cookie + "x"))).StatusCode);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlSessionCookieTestsOnPostgres(PostgresFixture fixture) : ZenMlSessionCookieTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlSessionCookieTestsOnSqlite(SqliteFixture fixture) : ZenMlSessionCookieTests(fixture);
