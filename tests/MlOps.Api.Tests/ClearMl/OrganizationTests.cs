using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

public abstract class OrganizationTests(IServerFixture fixture)
{
    [Fact]
    public async Task The_workspace_lists_its_tags_and_itself_as_the_only_company()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("tagged");
        (await client.CallAsync("projects.update", new { project, tags = new[] { "p-tag" } })).Ok();
        await client.CreateTaskAsync(project, "t", tags: ["t-tag"]);

        var tags = (await client.CallAsync("organization.get_tags", new { include_system = true })).Ok();
        var companies = (await client.CallAsync("organization.get_user_companies")).Ok().GetProperty("companies");

        Assert.Equal(["p-tag", "t-tag"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["development"], tags.GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
        var company = Assert.Single(companies.EnumerateArray());
        Assert.StartsWith("ws-", company.GetProperty("name").GetString());
        Assert.Equal(1, company.GetProperty("allocated").GetInt32());
    }

    [Fact]
    public async Task Login_modes_are_answered_without_credentials()
    {
        var anonymous = fixture.Factory.ClearMl();

        var modes = (await anonymous.CallAsync("login.supported_modes", version: null)).Ok();

        Assert.True(modes.GetProperty("basic").GetProperty("enabled").GetBoolean());
        Assert.False(modes.GetProperty("basic").GetProperty("guest").GetProperty("enabled").GetBoolean());
        Assert.False(modes.GetProperty("authenticated").GetBoolean());
        var client = await fixture.Factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        Assert.True((await client.CallAsync("login.supported_modes")).Ok().GetProperty("authenticated").GetBoolean());
        Assert.False((await client.CallAsync("server.report_stats_option")).Ok().GetProperty("supported").GetBoolean());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class OrganizationTestsOnPostgres(PostgresFixture fixture) : OrganizationTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class OrganizationTestsOnSqlite(SqliteFixture fixture) : OrganizationTests(fixture);
