using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>The answers ZenML's dashboard pages need (captured from its calls while walking it), in ZenML's shapes.</summary>
public abstract class ZenMlDashboardAnswersTests(IServerFixture fixture)
{
    [Fact]
    public async Task The_survey_is_remembered_in_user_metadata_and_settings_and_onboarding_answer()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;

        var updated = (await zen.PutAsync("/current-user", new { user_metadata = new { finished_onboarding_survey = true } })).Ok();
        Assert.True(updated.GetProperty("metadata").GetProperty("user_metadata").GetProperty("finished_onboarding_survey").GetBoolean());
        var me = (await zen.GetAsync("/current-user")).Ok();
        Assert.True(me.GetProperty("metadata").GetProperty("user_metadata").GetProperty("finished_onboarding_survey").GetBoolean());
        Assert.True(me.GetProperty("body").GetProperty("is_admin").GetBoolean());
        Assert.NotNull(me.GetProperty("body").GetProperty("created").GetString());

        var renamed = (await zen.PutAsync("/settings", new { server_name = "team-server" })).Ok();
        Assert.Equal("team-server", renamed.GetProperty("body").GetProperty("server_name").GetString());
        Assert.Equal("team-server", (await zen.GetAsync("/settings")).Ok().GetProperty("body").GetProperty("server_name").GetString());
        Assert.Equal(0, (await zen.GetAsync("/onboarding_state")).Ok().GetArrayLength());
        (await zen.PutAsync("/current-user", new { password = "new-password" })).AssertError(HttpStatusCode.Forbidden, "IllegalOperationError");
    }

    [Fact]
    public async Task Runs_pipelines_and_stacks_list_in_zenmls_nested_shape_sorted_as_the_pages_ask()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var project = (await zen.GetAsync("/projects/default")).Ok();
        Assert.Equal("default", project.GetProperty("body").GetProperty("display_name").GetString());
        var component = (await zen.PostAsync("/components", new { name = "local", type = "orchestrator", flavor = "local" })).Ok();
        var stack = (await zen.PostAsync("/stacks", new { name = "dev", components = new { orchestrator = new[] { component.GetProperty("id").GetString() } } })).Ok();
        var pipeline = (await zen.PostAsync("/pipelines", new { name = "train" })).Ok().GetProperty("id").GetString();
        var run = (await zen.PostAsync("/runs", new { name = "train-1", pipeline_id = pipeline, stack_id = stack.GetProperty("id").GetString(), status = "completed" })).Ok();
        var step = (await zen.PostAsync("/steps", new { name = "fit", pipeline_run_id = run.GetProperty("id").GetString(), status = "completed" })).Ok();

        var runs = (await zen.GetAsync("/runs?sort_by=desc:updated&hydrate=true")).Ok().GetProperty("items");
        Assert.Equal("completed", runs[0].GetProperty("body").GetProperty("status").GetString());
        Assert.Equal("train", runs[0].GetProperty("resources").GetProperty("pipeline").GetProperty("name").GetString());
        Assert.Equal("dev", runs[0].GetProperty("resources").GetProperty("stack").GetProperty("name").GetString());
        Assert.True(runs[0].TryGetProperty("metadata", out _));
        Assert.False((await zen.GetAsync("/runs")).Ok().GetProperty("items")[0].TryGetProperty("metadata", out _));

        var pipelines = (await zen.GetAsync("/pipelines?sort_by=desc:latest_run")).Ok().GetProperty("items");
        Assert.Equal(run.GetProperty("id").GetString(), pipelines[0].GetProperty("resources").GetProperty("latest_run_id").GetString());
        var dag = (await zen.GetAsync($"/runs/{run.GetProperty("id").GetString()}/dag")).Ok();
        Assert.Equal("fit", dag.GetProperty("nodes")[0].GetProperty("name").GetString());
        Assert.Equal(step.GetProperty("id").GetString(), dag.GetProperty("nodes")[0].GetProperty("id").GetString());

        var stacks = (await zen.GetAsync("/stacks?hydrate=true")).Ok().GetProperty("items");
        var member = stacks[0].GetProperty("metadata").GetProperty("components").GetProperty("orchestrator")[0];
        Assert.Equal("orchestrator", member.GetProperty("body").GetProperty("type").GetString());
        var listed = (await zen.GetAsync("/components")).Ok().GetProperty("items")[0];
        Assert.Equal("local", listed.GetProperty("body").GetProperty("flavor_name").GetString());
        Assert.Equal("local", listed.GetProperty("resources").GetProperty("flavor").GetProperty("name").GetString());
        Assert.Equal(0, (await zen.GetAsync("/pipeline_snapshots?named_only=true")).Ok().GetProperty("total").GetInt32());
        (await zen.GetAsync("/runs?sort_by=desc:nonsense")).AssertInvalid("query", "sort_by");
    }

    [Fact]
    public async Task A_task_written_through_clearml_is_a_zenml_run_with_its_console_as_logs()
    {
        var tenant = await DashboardTenant.CreateAsync(fixture);
        var clearMl = new ClearMlClient(fixture.Factory.CreateClient()) { Token = tenant.Client.Token }; // the same JWT serves both surfaces
        var task = (await clearMl.CallAsync("tasks.create", new { name = "clearml-training", type = "training" })).Ok().GetProperty("id").GetString()!;
        (await clearMl.CallAsync("events.add_batch", new[] { new { type = "log", task, level = "info", msg = "epoch 1 loss 0.42", timestamp = 1714557600000 } })).Ok();

        var runs = (await tenant.Client.GetAsync("/runs?name=clearml-training")).Ok().GetProperty("items");
        var id = runs[0].GetProperty("id").GetString();
        Assert.Equal(Guid.Parse(task), Guid.Parse(id!));
        var logs = (await tenant.Client.GetAsync($"/runs/{id}/logs")).Ok();
        Assert.Equal("epoch 1 loss 0.42", logs[0].GetProperty("message").GetString());
        Assert.Equal(20, logs[0].GetProperty("level").GetInt32());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlDashboardAnswersTestsOnPostgres(PostgresFixture fixture) : ZenMlDashboardAnswersTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlDashboardAnswersTestsOnSqlite(SqliteFixture fixture) : ZenMlDashboardAnswersTests(fixture);
