using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class UsersTests(IServerFixture fixture)
{
    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    [Fact]
    public async Task A_user_creates_lists_and_revokes_their_own_key_pairs()
    {
        var client = await TenantAsync();

        var created = (await client.CallAsync("auth.create_credentials")).Ok().GetProperty("credentials");
        var accessKey = created.GetProperty("access_key").GetString()!;
        var secretKey = created.GetProperty("secret_key").GetString()!;

        var second = await fixture.Factory.ClearMl().LoginAsync(accessKey, secretKey);
        var listed = (await client.CallAsync("auth.get_credentials")).Ok().GetProperty("credentials");
        Assert.Contains(accessKey, listed.EnumerateArray().Select(c => c.GetProperty("access_key").GetString()));
        Assert.All(listed.EnumerateArray(), c => Assert.False(c.TryGetProperty("secret_key", out _)));
        Assert.Equal(1, (await client.CallAsync("auth.revoke_credentials", new { access_key = accessKey })).Ok().GetProperty("revoked").GetInt32());
        (await fixture.Factory.ClearMl().LoginRawAsync(accessKey, secretKey)).AssertError(401, 22);
        Assert.Equal(0, (await second.CallAsync("auth.revoke_credentials", new { access_key = MlOpsFactory.AccessKey })).Ok().GetProperty("revoked").GetInt32());
    }

    [Fact]
    public async Task Validate_token_tells_valid_from_garbage()
    {
        var client = await TenantAsync();

        var valid = (await client.CallAsync("auth.validate_token", new { token = client.Token })).Ok();
        var garbage = (await client.CallAsync("auth.validate_token", new { token = "x.y.z" })).Ok();

        Assert.True(valid.GetProperty("valid").GetBoolean());
        Assert.False(garbage.GetProperty("valid").GetBoolean());
        (await client.CallAsync("auth.validate_token", new { })).AssertError(400, 12);
    }

    [Fact]
    public async Task Users_are_listed_per_workspace_and_may_rename_themselves_only()
    {
        var client = await TenantAsync();
        var other = await TenantAsync();
        var me = (await client.CallAsync("users.get_current_user")).Ok().GetProperty("user").GetProperty("id").GetString();
        var stranger = (await other.CallAsync("users.get_current_user")).Ok().GetProperty("user").GetProperty("id").GetString();

        var all = (await client.CallAsync("users.get_all", new { })).Ok().GetProperty("users");
        Assert.Equal([me], all.EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        (await client.CallAsync("users.get_by_id", new { user = stranger })).AssertError(400, 301);
        (await client.CallAsync("users.update", new { user = me, name = "Alice Liddell" })).Ok();
        Assert.Equal("Alice Liddell", (await client.CallAsync("users.get_by_id", new { user = me })).Ok().GetProperty("user").GetProperty("name").GetString());
        (await client.CallAsync("users.update", new { user = stranger, name = "x" })).AssertError(403, 20);
    }

    [Fact]
    public async Task Preferences_merge_and_read_back_and_key_pairs_take_labels()
    {
        var client = await TenantAsync();

        (await client.CallAsync("users.set_preferences", new { preferences = new { views = new { table = new { cols = 3 } }, theme = "dark" } })).Ok();
        (await client.CallAsync("users.set_preferences", new { preferences = new { views = new { chart = "line" } } })).Ok();
        var preferences = (await client.CallAsync("users.get_preferences")).Ok().GetProperty("preferences");
        var key = (await client.CallAsync("auth.create_credentials")).Ok().GetProperty("credentials").GetProperty("access_key").GetString();
        (await client.CallAsync("auth.edit_credentials", new { access_key = key, label = "laptop" })).Ok();

        Assert.Equal("dark", preferences.GetProperty("theme").GetString());
        Assert.Equal(3, preferences.GetProperty("views").GetProperty("table").GetProperty("cols").GetInt32());
        Assert.Equal("line", preferences.GetProperty("views").GetProperty("chart").GetString());
        var labelled = (await client.CallAsync("auth.get_credentials")).Ok().GetProperty("credentials").EnumerateArray()
            .Single(c => c.GetProperty("access_key").GetString() == key);
        Assert.Equal("laptop", labelled.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Workspace_admins_manage_users_and_plain_users_may_not()
    {
        var admin = await fixture.Factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var plain = await TenantAsync();
        var name = "bob-" + Guid.NewGuid().ToString("N")[..6];

        var bob = (await admin.CallAsync("auth.create_user", new { name })).Ok().GetProperty("id").GetString();
        var token = (await admin.CallAsync("auth.get_token_for_user", new { user = bob })).Ok().GetProperty("token").GetString();
        var asBob = new ClearMlClient(fixture.Factory.CreateClient()) { Token = token };
        Assert.Equal(name, (await asBob.CallAsync("users.get_current_user")).Ok().GetProperty("user").GetProperty("name").GetString());
        (await admin.CallAsync("auth.edit_user", new { user = bob, role = "admin" })).Ok();
        Assert.Equal("admin", (await admin.CallAsync("users.get_by_id", new { user = bob })).Ok().GetProperty("user").GetProperty("role").GetString());
        (await admin.CallAsync("auth.create_user", new { name })).AssertError(400, 302);
        (await plain.CallAsync("auth.create_user", new { name = "mallory" })).AssertError(403, 20);
        (await plain.CallAsync("users.delete", new { user = bob })).AssertError(403, 20);
        (await admin.CallAsync("users.delete", new { user = bob })).Ok();
        (await admin.CallAsync("users.get_by_id", new { user = bob })).AssertError(400, 301);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class UsersTestsOnPostgres(PostgresFixture fixture) : UsersTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class UsersTestsOnSqlite(SqliteFixture fixture) : UsersTests(fixture);
