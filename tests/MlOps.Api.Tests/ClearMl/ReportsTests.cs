using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

/// <summary>The web UI's Reports pages: a report is written, edited, published, archived, moved and deleted; its widgets read task data.</summary>
public abstract class ReportsTests(IServerFixture fixture)
{
    private const long T0 = 1_790_000_000_000;

    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    private static async Task<JsonElement> ReportAsync(ClearMlClient client, string id) =>
        (await client.CallAsync("reports.get_all_ex", new
        {
            id = new[] { id },
            only_fields = new[] { "name", "status", "company.id", "user.id", "comment", "report", "tags", "system_tags", "report_assets", "project.name" },
        }, "999.0")).Ok().GetProperty("tasks")[0];

    private static async Task<string> CreateAsync(ClearMlClient client, string? project, string name = "Weekly results") =>
        (await client.CallAsync("reports.create", new { name, comment = "draft", tags = new[] { "q3" }, report = "# Results", project })).Ok()
        .GetProperty("id").GetString()!;

    [Fact]
    public async Task A_report_is_a_hidden_task_in_the_reports_subproject_of_its_project()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("vision");

        var created = (await client.CallAsync("reports.create", new
        {
            name = "Weekly results", comment = "draft", tags = new[] { "q3" }, report = "# Results", project, report_assets = new[] { "http://files/a.png" },
        })).Ok();

        var id = created.GetProperty("id").GetString()!;
        var home = (await client.CallAsync("projects.get_by_id", new { project = created.GetProperty("project_id").GetString() })).Ok().GetProperty("project");
        Assert.Equal("vision/.reports", home.GetProperty("name").GetString());
        Assert.Equal(["hidden", "reports"], home.GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()).Order());
        var report = await ReportAsync(client, id);
        Assert.Equal("# Results", report.GetProperty("report").GetString());
        Assert.Equal("created", report.GetProperty("status").GetString());
        Assert.Equal("vision/.reports", report.GetProperty("project").GetProperty("name").GetString());
        Assert.Equal(["http://files/a.png"], report.GetProperty("report_assets").EnumerateArray().Select(a => a.GetString()));
        var listed = (await client.CallAsync("reports.get_all_ex", new { project, only_fields = new[] { "name" } })).Ok().GetProperty("tasks");
        Assert.Equal([id], listed.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var experiments = (await client.CallAsync("tasks.get_all", new { project = new[] { created.GetProperty("project_id").GetString() } })).Ok();
        Assert.Empty(experiments.GetProperty("tasks").EnumerateArray());
        var atRoot = (await client.CallAsync("reports.create", new { name = "Root report" })).Ok();
        var rootHome = (await client.CallAsync("projects.get_by_id", new { project = atRoot.GetProperty("project_id").GetString() })).Ok();
        Assert.Equal(".reports", rootHome.GetProperty("project").GetProperty("name").GetString());
        (await client.CallAsync("reports.create", new { comment = "no name" })).AssertError(400, 11);
    }

    [Fact]
    public async Task Only_a_draft_reports_text_changes_and_publishing_freezes_it()
    {
        var client = await TenantAsync();
        var id = await CreateAsync(client, await client.CreateProjectAsync("vision"));

        var edited = (await client.CallAsync("reports.update", new { task = id, report = new string('x', 150), tags = new[] { "z", "a" } })).Ok();
        var published = (await client.CallAsync("reports.publish", new { task = id })).Ok();

        Assert.Equal(1, edited.GetProperty("updated").GetInt32());
        Assert.Equal(["a", "z"], edited.GetProperty("fields").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(100, edited.GetProperty("fields").GetProperty("report").GetString()!.Length);
        Assert.Equal("published", published.GetProperty("fields").GetProperty("status").GetString());
        (await client.CallAsync("reports.update", new { task = id, report = "changed" })).AssertError(400, 110);
        (await client.CallAsync("reports.update", new { task = id, name = "Renamed", comment = "final" })).Ok();
        var report = await ReportAsync(client, id);
        Assert.Equal(new string('x', 150), report.GetProperty("report").GetString());
        Assert.Equal("Renamed", report.GetProperty("name").GetString());
        Assert.Equal("published", report.GetProperty("status").GetString());
        Assert.Equal(0, (await client.CallAsync("reports.update", new { task = id })).Ok().GetProperty("updated").GetInt32());
    }

    [Fact]
    public async Task A_published_report_is_deleted_when_archived_or_forced_and_its_project_goes_with_the_last_one()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("vision");
        var first = await CreateAsync(client, project);
        var second = await CreateAsync(client, project, "Second report");
        (await client.CallAsync("reports.publish", new { task = first })).Ok();
        (await client.CallAsync("reports.publish", new { task = second })).Ok();
        var home = (await ReportAsync(client, first)).GetProperty("project").GetProperty("id").GetString();

        (await client.CallAsync("reports.delete", new { task = first })).AssertError(400, 123);
        Assert.Equal(1, (await client.CallAsync("reports.archive", new { task = first })).Ok().GetProperty("archived").GetInt32());
        Assert.Contains("archived", (await ReportAsync(client, first)).GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()));
        var archivedView = (await client.CallAsync("reports.get_all_ex", new { system_tags = new[] { "__$and", "archived" }, only_fields = new[] { "name" } })).Ok();
        Assert.Equal([first], archivedView.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(1, (await client.CallAsync("reports.unarchive", new { task = first })).Ok().GetProperty("unarchived").GetInt32());
        (await client.CallAsync("reports.archive", new { task = first })).Ok();
        Assert.Equal(1, (await client.CallAsync("reports.delete", new { task = first })).Ok().GetProperty("deleted").GetInt32());
        (await client.CallAsync("projects.get_by_id", new { project = home })).Ok();
        (await client.CallAsync("reports.delete", new { task = second, force = true })).Ok();

        (await client.CallAsync("tasks.get_by_id", new { task = first })).AssertError(400, 101);
        (await client.CallAsync("projects.get_by_id", new { project = home })).AssertError(400, 401);
        (await client.CallAsync("projects.get_by_id", new { project })).Ok();
    }

    [Fact]
    public async Task A_report_moves_to_another_projects_reports_by_id_or_by_new_name()
    {
        var client = await TenantAsync();
        var source = await client.CreateProjectAsync("vision");
        var target = await client.CreateProjectAsync("audio");
        var id = await CreateAsync(client, source);
        var oldHome = (await ReportAsync(client, id)).GetProperty("project").GetProperty("id").GetString();

        async Task<string> MovedHomeAsync(object move)
        {
            var home = (await client.CallAsync("reports.move", move)).Ok().GetProperty("project_id").GetString()!;
            var report = (await ReportAsync(client, id)).GetProperty("project");
            Assert.Equal(home, report.GetProperty("id").GetString());
            return report.GetProperty("name").GetString()!;
        }

        Assert.Equal("audio/.reports", await MovedHomeAsync(new { task = id, project = target }));
        Assert.Equal("speech/2024/.reports", await MovedHomeAsync(new { task = id, project_name = "speech/2024" }));
        Assert.Equal(".reports", await MovedHomeAsync(new { task = id, project = (string?)null }));
        Assert.Equal(".reports", await MovedHomeAsync(new { task = id, project = (string?)null }));
        (await client.CallAsync("projects.get_by_id", new { project = oldHome })).AssertError(400, 401);
        (await client.CallAsync("reports.move", new { task = id })).AssertError(400, 11);
    }

    [Fact]
    public async Task Report_calls_refuse_tasks_that_are_not_reports_and_tags_list_the_reports_tags()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("vision");
        var task = await client.CreateTaskAsync(project, "training run", tags: ["not-a-report-tag"]);
        await CreateAsync(client, project);
        var other = await CreateAsync(client, project, "Other report");
        (await client.CallAsync("reports.update", new { task = other, tags = new[] { "best", "q3" } })).Ok();

        (await client.CallAsync("reports.publish", new { task })).AssertError(400, 150);
        (await client.CallAsync("reports.delete", new { task, force = true })).AssertError(400, 150);
        Assert.Equal(["best", "q3"], (await client.CallAsync("reports.get_tags")).Ok().GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    /// <summary>The report page's widgets (plot, scalar, sample, single values, parallel coordinates) as the web UI asks for them.</summary>
    [Fact]
    public async Task Task_data_serves_each_embedded_widget_its_events()
    {
        var client = await TenantAsync();
        var project = await client.CreateProjectAsync("vision");
        var task = await client.CreateTaskAsync(project, "run");
        (await client.AddEventsAsync([
            new { type = "training_stats_scalar", task, iter = 1, metric = "loss", variant = "train", value = 0.5, timestamp = T0 },
            new { type = "training_stats_scalar", task, iter = 2, metric = "loss", variant = "train", value = 0.25, timestamp = T0 + 1 },
            new { type = "training_stats_scalar", task, iter = -2147483648, metric = "Summary", variant = "accuracy", value = 0.9, timestamp = T0 + 2 },
            new { type = "plot", task, iter = 2, metric = "roc", variant = "curve", plot_str = "{\"data\": [2]}", timestamp = T0 + 3 },
            new { type = "training_debug_image", task, iter = 2, metric = "samples", variant = "input", key = "k", url = "http://files/i.png", timestamp = T0 + 4 },
        ])).Ok();
        var metrics = new[] { new { metric = "loss", variants = new[] { "train" } } };

        var scalar = (await client.CallAsync("reports.get_task_data?xaxis=iter", new { id = new[] { task }, scalar_metrics_iter_histogram = new { metrics, key = "iter" } }, "999.0")).Ok();
        var plot = (await client.CallAsync("reports.get_task_data", new { id = new[] { task }, plots = new { iters = 1, metrics = new[] { new { metric = "roc", variants = new[] { "curve" } } } } })).Ok();
        var sample = (await client.CallAsync("reports.get_task_data", new { id = new[] { task }, debug_images = new { iters = 1, metrics = new[] { new { metric = "samples", variants = new[] { "input" } } } } })).Ok();
        var single = (await client.CallAsync("reports.get_task_data", new { id = new[] { task }, single_value_metrics = new { } })).Ok();
        var table = (await client.CallAsync("reports.get_task_data", new { id = new[] { task }, only_fields = new[] { "last_metrics", "name", "last_iteration", "project" } })).Ok();

        Assert.Equal(project, scalar.GetProperty("tasks")[0].GetProperty("project").GetProperty("id").GetString());
        var curve = scalar.GetProperty("scalar_metrics_iter_histogram").GetProperty("loss").GetProperty("train").GetProperty(task);
        Assert.Equal([0.5, 0.25], curve.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("{\"data\": [2]}", plot.GetProperty("plots").GetProperty("roc").GetProperty("curve").GetProperty(task).GetProperty("2")
            .GetProperty("plots")[0].GetProperty("plot_str").GetString());
        Assert.Equal("http://files/i.png", sample.GetProperty("debug_images")[0].GetProperty("iterations")[0].GetProperty("events")[0].GetProperty("url").GetString());
        Assert.Equal(0.9, single.GetProperty("single_value_metrics")[0].GetProperty("values")[0].GetProperty("value").GetDouble());
        Assert.Equal(2, table.GetProperty("tasks")[0].GetProperty("last_iteration").GetInt64());
        Assert.False(table.TryGetProperty("plots", out _));
        var none = (await client.CallAsync("reports.get_task_data", new { id = new[] { Guid.NewGuid().ToString("N") }, plots = new { iters = 1 } })).Ok();
        Assert.Empty(none.GetProperty("tasks").EnumerateArray());
        Assert.Empty(none.GetProperty("plots").EnumerateObject());
        (await client.CallAsync("reports.get_task_data", new { id = new[] { task }, plots = 5 })).AssertError(400, 12);
    }

    [Fact]
    public async Task Another_workspace_can_neither_see_nor_change_a_report()
    {
        var owner = await TenantAsync();
        var intruder = await TenantAsync();
        var project = await owner.CreateProjectAsync("vision");
        var id = await CreateAsync(owner, project);
        var intruderProject = await intruder.CreateProjectAsync("mine");

        (await intruder.CallAsync("reports.update", new { task = id, report = "defaced" })).AssertError(400, 101);
        (await intruder.CallAsync("reports.publish", new { task = id })).AssertError(400, 101);
        (await intruder.CallAsync("reports.archive", new { task = id })).AssertError(400, 101);
        (await intruder.CallAsync("reports.move", new { task = id, project = intruderProject })).AssertError(400, 101);
        (await intruder.CallAsync("reports.delete", new { task = id, force = true })).AssertError(400, 101);
        (await intruder.CallAsync("reports.create", new { name = "Into theirs", project })).AssertError(400, 401);
        Assert.Empty((await intruder.CallAsync("reports.get_all_ex", new { id = new[] { id } })).Ok().GetProperty("tasks").EnumerateArray());
        Assert.Empty((await intruder.CallAsync("reports.get_task_data", new { id = new[] { id }, plots = new { iters = 1 } })).Ok().GetProperty("tasks").EnumerateArray());
        Assert.Empty((await intruder.CallAsync("reports.get_tags")).Ok().GetProperty("tags").EnumerateArray());

        var report = await ReportAsync(owner, id);
        Assert.Equal("# Results", report.GetProperty("report").GetString());
        Assert.Equal("created", report.GetProperty("status").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ReportsTestsOnPostgres(PostgresFixture fixture) : ReportsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ReportsTestsOnSqlite(SqliteFixture fixture) : ReportsTests(fixture);
