using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>Named pipeline snapshots: the ones the dashboard's snapshot pages list (<c>named_only=true</c>).</summary>
public abstract class ZenMlSnapshotNamesTests(IServerFixture fixture)
{
    [Fact]
    public async Task A_snapshot_given_a_name_is_listed_as_named_and_names_are_unique_per_pipeline()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var pipeline = (await zen.PostAsync("/pipelines", new { name = "train" })).Ok().GetProperty("id").GetString();
        var first = (await zen.PostAsync("/deployments", new { pipeline_id = pipeline, status = "ready" })).Ok().GetProperty("id").GetString();
        var second = (await zen.PostAsync("/deployments", new { pipeline_id = pipeline, status = "ready" })).Ok().GetProperty("id").GetString();
        Assert.Equal(0, (await zen.GetAsync("/pipeline_snapshots?named_only=true")).Ok().GetProperty("total").GetInt32());

        var named = (await zen.PutAsync($"/pipeline_snapshots/{first}", new { name = "nightly", description = "every night" })).Ok();
        Assert.Equal("nightly", named.GetProperty("name").GetString());
        Assert.Equal("every night", named.GetProperty("metadata").GetProperty("description").GetString());
        var listed = (await zen.GetAsync($"/pipeline_snapshots?named_only=true&pipeline_id={pipeline}")).Ok();
        Assert.Equal(first, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("nightly", (await zen.GetAsync($"/pipeline_snapshots/{first}")).Ok().GetProperty("name").GetString());
        var deployment = (await zen.GetAsync($"/deployments/{first}")).Ok();
        Assert.Equal(first, deployment.GetProperty("resources").GetProperty("snapshot").GetProperty("id").GetString());

        (await zen.PutAsync($"/pipeline_snapshots/{second}", new { name = "nightly" })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");
        (await zen.PutAsync($"/pipeline_snapshots/{second}", new { name = " " })).AssertInvalid("body", "name");
        (await zen.PutAsync($"/pipeline_snapshots/{Guid.NewGuid()}", new { name = "x" })).AssertError(HttpStatusCode.NotFound, "KeyError");
        var other = (await DashboardTenant.CreateAsync(fixture)).Client;
        Assert.Equal(0, (await other.GetAsync("/pipeline_snapshots?named_only=true")).Ok().GetProperty("total").GetInt32());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlSnapshotNamesTestsOnPostgres(PostgresFixture fixture) : ZenMlSnapshotNamesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlSnapshotNamesTestsOnSqlite(SqliteFixture fixture) : ZenMlSnapshotNamesTests(fixture);
