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

    /// <summary>The dashboard search's counters: each kind's own get_all criteria, hidden objects only when asked.</summary>
    [Fact]
    public async Task Entity_counts_follow_each_kinds_criteria()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("counted");
        var hidden = await client.CreateProjectAsync("counted/.pipelines");
        (await client.CallAsync("projects.update", new { project = hidden, system_tags = new[] { "hidden", "pipeline" } })).Ok();
        await client.CreateTaskAsync(project, "alpha");
        await client.CreateTaskAsync(project, "beta", tags: ["best"]);
        var secret = await client.CreateTaskAsync(project, "hidden run");
        (await client.CallAsync("tasks.edit", new { task = secret, system_tags = new[] { "hidden" } })).Ok();
        (await client.CallAsync("models.create", new { name = "model-1", uri = "file:///m.pt", project })).Ok();
        (await client.CallAsync("reports.create", new { name = "Report", project })).Ok();
        var me = (await client.CallAsync("users.get_current_user")).Ok().GetProperty("user").GetProperty("id").GetString();

        var counts = (await client.CallAsync("organization.get_entities_count", new
        {
            projects = new { name = "counted" },
            tasks = new { project = new[] { project } },
            models = new { project = new[] { project } },
            pipelines = new { system_tags = new[] { "pipeline" } },
            reports = new { project = new[] { project } },
        })).Ok();
        var withHidden = (await client.CallAsync("organization.get_entities_count", new { tasks = new { project = new[] { project } }, search_hidden = true })).Ok();
        var tagged = (await client.CallAsync("organization.get_entities_count", new { tasks = new { tags = new[] { "best" } }, active_users = new[] { me } })).Ok();
        var nobody = (await client.CallAsync("organization.get_entities_count", new { projects = new { }, active_users = new[] { Guid.NewGuid().ToString("N") } })).Ok();

        Assert.Equal(1, counts.GetProperty("projects").GetInt32());
        Assert.Equal(2, counts.GetProperty("tasks").GetInt32());
        Assert.Equal(1, counts.GetProperty("models").GetInt32());
        Assert.Equal(1, counts.GetProperty("pipelines").GetInt32());
        Assert.Equal(1, counts.GetProperty("reports").GetInt32());
        Assert.False(counts.TryGetProperty("datasets", out _));
        Assert.Equal(3, withHidden.GetProperty("tasks").GetInt32());
        Assert.Equal(1, tagged.GetProperty("tasks").GetInt32());
        Assert.Equal(0, nobody.GetProperty("projects").GetInt32());
        (await client.CallAsync("organization.get_entities_count", new { tasks = "all" })).AssertError(400, 12);
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
