using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>The service account page's key management: issue, rename, switch off and on, rotate, remove.</summary>
public abstract class ZenMlServiceAccountKeysTests(IServerFixture fixture)
{
    [Fact]
    public async Task An_issued_key_is_shown_once_and_works_until_switched_off_rotated_or_removed()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var account = (await zen.PostAsync("/service_accounts", new { name = "ci-bot", description = "CI" })).Ok().GetProperty("id").GetString();

        var issued = (await zen.PostAsync($"/service_accounts/{account}/api_keys", new { name = "deploy", description = "deploys" })).Ok();
        Assert.Equal("deploy", issued.GetProperty("name").GetString());
        var secret = issued.GetProperty("body").GetProperty("key").GetString()!;
        Assert.True(issued.GetProperty("body").GetProperty("active").GetBoolean());
        Assert.Equal("ci-bot", issued.GetProperty("body").GetProperty("service_account").GetProperty("name").GetString());
        var id = issued.GetProperty("id").GetString();
        Assert.False((await zen.GetAsync($"/service_accounts/{account}/api_keys/deploy")).Ok().GetProperty("body").TryGetProperty("key", out _));
        (await zen.PostAsync($"/service_accounts/{account}/api_keys", new { name = "deploy" })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");

        var off = (await zen.PutAsync($"/service_accounts/{account}/api_keys/{id}", new { active = false })).Ok();
        Assert.False(off.GetProperty("body").GetProperty("active").GetBoolean());
        (await Comet(secret).GetAsync("workspaces")).AssertError(HttpStatusCode.Unauthorized);
        (await zen.PutAsync($"/service_accounts/{account}/api_keys/{id}", new { active = true, name = "release" })).Ok();
        (await Comet(secret).GetAsync("workspaces")).Ok();

        var rotated = (await zen.PutAsync($"/service_accounts/{account}/api_keys/release/rotate", new { retain_period_minutes = 0 })).Ok();
        var newSecret = rotated.GetProperty("body").GetProperty("key").GetString()!;
        Assert.NotEqual(secret, newSecret);
        (await Comet(secret).GetAsync("workspaces")).AssertError(HttpStatusCode.Unauthorized);
        (await Comet(newSecret).GetAsync("workspaces")).Ok();

        Assert.Equal(HttpStatusCode.NoContent, (await zen.DeleteAsync($"/service_accounts/{account}/api_keys/{id}")).Status);
        (await Comet(newSecret).GetAsync("workspaces")).AssertError(HttpStatusCode.Unauthorized);
        (await zen.GetAsync($"/service_accounts/{account}/api_keys/{id}")).AssertError(HttpStatusCode.NotFound, "KeyError");
    }

    [Fact]
    public async Task Keys_and_accounts_are_changed_by_admins_only_and_bad_input_is_a_422()
    {
        var admin = await DashboardTenant.CreateAsync(fixture);
        var account = (await admin.Client.PostAsync("/service_accounts", new { name = "etl-bot" })).Ok().GetProperty("id").GetString();

        var renamed = (await admin.Client.PutAsync($"/service_accounts/{account}", new { name = "etl-robot", active = false })).Ok();
        Assert.Equal("etl-robot", renamed.GetProperty("name").GetString());
        Assert.False(renamed.GetProperty("body").GetProperty("active").GetBoolean());
        (await admin.Client.PostAsync($"/service_accounts/{account}/api_keys", new { description = "no name" })).AssertInvalid("body", "name");
        (await admin.Client.PutAsync($"/service_accounts/{account}/api_keys/default/rotate", new { retain_period_minutes = -1 }))
            .AssertInvalid("body", "retain_period_minutes");
        (await admin.Client.PutAsync($"/service_accounts/{account}/api_keys/missing", new { active = true })).AssertError(HttpStatusCode.NotFound, "KeyError");

        var plain = await DashboardTenant.CreateAsync(fixture, MlOps.Data.Entities.UserRole.User);
        var own = (await plain.Client.GetAsync("/service_accounts")).Ok().GetProperty("total").GetInt32();
        Assert.Equal(0, own);
        (await plain.Client.PostAsync($"/service_accounts/{account}/api_keys", new { name = "x" })).AssertError(HttpStatusCode.Forbidden, "IllegalOperationError");
    }

    private CometClient Comet(string key) => new(fixture.Factory.CreateClient(), key);
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlServiceAccountKeysTestsOnPostgres(PostgresFixture fixture) : ZenMlServiceAccountKeysTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlServiceAccountKeysTestsOnSqlite(SqliteFixture fixture) : ZenMlServiceAccountKeysTests(fixture);
