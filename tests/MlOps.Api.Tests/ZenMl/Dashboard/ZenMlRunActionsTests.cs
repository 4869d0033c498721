using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>The run page's stop and refresh buttons, run tags, and the artifact versions its DAG opens.</summary>
public abstract class ZenMlRunActionsTests(IServerFixture fixture)
{
    [Fact]
    public async Task Stopping_a_run_stops_its_unfinished_steps_and_a_finished_run_cannot_be_stopped()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var run = (await zen.PostAsync("/runs", new { name = "nightly-1", status = "running" })).Ok().GetProperty("id").GetString();
        var done = (await zen.PostAsync("/steps", new { name = "load", pipeline_run_id = run, status = "completed" })).Ok().GetProperty("id").GetString();
        var busy = (await zen.PostAsync("/steps", new { name = "fit", pipeline_run_id = run, status = "running" })).Ok().GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.OK, (await zen.SendJsonAsync(HttpMethod.Post, $"/runs/{run}/refresh?include_steps=true", new { })).Status);
        var stop = await zen.SendJsonAsync(HttpMethod.Post, $"/runs/{run}/stop?graceful=false", new { });
        Assert.Equal(HttpStatusCode.OK, stop.Status);
        Assert.Equal("null", stop.Text);

        var stopped = (await zen.GetAsync($"/runs/{run}")).Ok();
        Assert.Equal("stopped", stopped.GetProperty("body").GetProperty("status").GetString());
        Assert.False(stopped.GetProperty("body").GetProperty("in_progress").GetBoolean());
        Assert.Equal("completed", (await zen.GetAsync($"/steps/{done}")).Ok().GetProperty("body").GetProperty("status").GetString());
        Assert.Equal("stopped", (await zen.GetAsync($"/steps/{busy}")).Ok().GetProperty("body").GetProperty("status").GetString());
        (await zen.SendJsonAsync(HttpMethod.Post, $"/runs/{run}/stop", new { })).AssertError(HttpStatusCode.Forbidden, "IllegalOperationError");
        (await zen.SendJsonAsync(HttpMethod.Post, $"/runs/{Guid.NewGuid()}/refresh", new { })).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await zen.SendJsonAsync(HttpMethod.Post, $"/runs/{run}/stop?graceful=maybe", new { })).AssertInvalid("query", "graceful");
    }

    [Fact]
    public async Task Tags_are_added_to_and_removed_from_a_run()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var run = (await zen.PostAsync("/runs", new { name = "tagged-1", status = "completed" })).Ok().GetProperty("id").GetString();

        (await zen.PutAsync($"/runs/{run}", new { add_tags = new[] { "nightly", "gpu" } })).Ok();
        var tagged = (await zen.PutAsync($"/runs/{run}", new { add_tags = new[] { "release" }, remove_tags = new[] { "gpu" } })).Ok();
        var tags = tagged.GetProperty("resources").GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(["nightly", "release"], tags);
        Assert.Equal("grey", tagged.GetProperty("resources").GetProperty("tags")[0].GetProperty("body").GetProperty("color").GetString());
        (await zen.PutAsync($"/runs/{run}", new { add_tags = new[] { " " } })).AssertInvalid("body", "add_tags", "0");
    }

    [Fact]
    public async Task Artifact_versions_answer_zenmls_nested_shape_and_artifacts_keep_the_seeds_fields()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var run = (await zen.PostAsync("/runs", new { name = "features-run", status = "completed" })).Ok().GetProperty("id").GetString();
        var step = (await zen.PostAsync("/steps", new { name = "featurize", pipeline_run_id = run, status = "completed" })).Ok().GetProperty("id").GetString();
        var created = (await zen.PostAsync("/artifacts", new
        {
            name = "features", type = "DataFrame", uri = "s3://bucket/features/1", materializer = "zenml.materializers.PandasMaterializer",
            producer_step_run_id = step,
        })).Ok();
        Assert.Equal("features", created.GetProperty("name").GetString());
        Assert.Equal("1", created.GetProperty("version").GetString());
        Assert.Equal("DataFrame", created.GetProperty("type").GetString());
        var id = created.GetProperty("id").GetString();

        var version = (await zen.GetAsync($"/artifact_versions/{id}")).Ok();
        var body = version.GetProperty("body");
        Assert.Equal("features", body.GetProperty("artifact").GetProperty("name").GetString());
        Assert.Equal("1", body.GetProperty("version").GetString());
        Assert.Equal("s3://bucket/features/1", body.GetProperty("uri").GetString());
        Assert.Equal("DataArtifact", body.GetProperty("type").GetString());
        Assert.Equal("PandasMaterializer", body.GetProperty("materializer").GetProperty("attribute").GetString());
        Assert.Equal("zenml.materializers", body.GetProperty("materializer").GetProperty("module").GetString());
        Assert.Equal(step, version.GetProperty("resources").GetProperty("producer_step_run_id").GetString());
        Assert.True(version.TryGetProperty("metadata", out _));

        var listed = (await zen.GetAsync($"/artifact_versions?producer_step_run_id={step}&sort_by=desc:created")).Ok();
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        Assert.False(listed.GetProperty("items")[0].TryGetProperty("metadata", out _));
        (await zen.GetAsync($"/artifact_versions/{Guid.NewGuid()}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await zen.GetAsync("/artifact_versions/not-a-uuid")).AssertInvalid("path", "artifact_version_id");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlRunActionsTestsOnPostgres(PostgresFixture fixture) : ZenMlRunActionsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlRunActionsTestsOnSqlite(SqliteFixture fixture) : ZenMlRunActionsTests(fixture);
