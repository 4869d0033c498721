using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>Tags (created, listed, deleted, and taken off runs) and code repositories, each workspace's own.</summary>
public abstract class ZenMlTagsAndRepositoriesTests(IServerFixture fixture)
{
    [Fact]
    public async Task Tags_are_created_listed_and_deleted_and_a_deleted_tag_leaves_its_runs()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var created = (await zen.PostAsync("/tags", new { name = "release", color = "blue", exclusive = true })).Ok();
        Assert.Equal("blue", created.GetProperty("body").GetProperty("color").GetString());
        Assert.True(created.GetProperty("body").GetProperty("exclusive").GetBoolean());
        (await zen.PostAsync("/tags", new { name = "release" })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");
        (await zen.PostAsync("/tags", new { name = "x", color = "pink" })).AssertInvalid("body", "color");
        (await zen.PostAsync("/tags", new { color = "red" })).AssertInvalid("body", "name");

        var run = (await zen.PostAsync("/runs", new { name = "tagged-run", status = "completed" })).Ok().GetProperty("id").GetString();
        var tagged = (await zen.PutAsync($"/runs/{run}", new { add_tags = new[] { "nightly" } })).Ok();
        var nightlyId = tagged.GetProperty("resources").GetProperty("tags")[0].GetProperty("id").GetString();

        var listed = (await zen.GetAsync("/tags")).Ok();
        Assert.Equal(["release", "nightly"], listed.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("grey", (await zen.GetAsync($"/tags/{nightlyId}")).Ok().GetProperty("body").GetProperty("color").GetString());
        Assert.Equal(1, (await zen.GetAsync("/tags?name=contains:night")).Ok().GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await zen.DeleteAsync("/tags/nightly")).Status);
        Assert.Equal(0, (await zen.GetAsync($"/runs/{run}")).Ok().GetProperty("resources").GetProperty("tags").GetArrayLength());
        (await zen.GetAsync("/tags/nightly")).AssertError(HttpStatusCode.NotFound, "KeyError");
        var other = (await DashboardTenant.CreateAsync(fixture)).Client;
        Assert.Equal(0, (await other.GetAsync("/tags")).Ok().GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Code_repositories_are_registered_per_project_updated_and_removed()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var source = new { module = "zenml.integrations.github.code_repositories", attribute = "GitHubCodeRepository", type = "internal" };
        var created = (await zen.PostAsync("/code_repositories", new { name = "pipelines", source, config = new { owner = "acme", repository = "pipelines" } })).Ok();
        var id = created.GetProperty("id").GetString();
        var project = (await zen.GetAsync("/projects/default")).Ok().GetProperty("id").GetString();
        Assert.Equal(project, created.GetProperty("body").GetProperty("project_id").GetString());
        Assert.Equal("GitHubCodeRepository", created.GetProperty("body").GetProperty("source").GetProperty("attribute").GetString());
        Assert.Equal("acme", created.GetProperty("metadata").GetProperty("config").GetProperty("owner").GetString());
        (await zen.PostAsync("/code_repositories", new { name = "pipelines", source })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");
        (await zen.PostAsync("/code_repositories", new { name = "nosource" })).AssertInvalid("body", "source");
        (await zen.PostAsync("/code_repositories", new { name = "half", source = new { module = "m" } })).AssertInvalid("body", "source", "attribute");

        var updated = (await zen.PutAsync($"/code_repositories/{id}", new { description = "training code" })).Ok();
        Assert.Equal("training code", updated.GetProperty("metadata").GetProperty("description").GetString());
        var listed = (await zen.GetAsync($"/code_repositories?project={project}")).Ok();
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        Assert.False(listed.GetProperty("items")[0].TryGetProperty("metadata", out _));

        var other = (await DashboardTenant.CreateAsync(fixture)).Client;
        (await other.GetAsync($"/code_repositories/{id}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        Assert.Equal(HttpStatusCode.NoContent, (await zen.DeleteAsync($"/code_repositories/{id}")).Status);
        (await zen.GetAsync($"/code_repositories/{id}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await zen.GetAsync("/code_repositories/nope")).AssertInvalid("path", "code_repository_id");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlTagsAndRepositoriesTestsOnPostgres(PostgresFixture fixture) : ZenMlTagsAndRepositoriesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlTagsAndRepositoriesTestsOnSqlite(SqliteFixture fixture) : ZenMlTagsAndRepositoriesTests(fixture);
