using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.WebUi;

/// <summary>The answers the web UI's pages depend on, asked the way the UI asks (bodies captured from ClearML's web UI 2.0).</summary>
public abstract class WebUiEndpointTests(IServerFixture fixture)
{
    private sealed record World(ClearMlClient Client, string Project, string SubProject, string Trained, string Child, string Model, string Queue);

    /// <summary>A project with a sub-project, a completed training task with an output model, an artifact, scalars and a plot, and a queued child.</summary>
    private async Task<World> WorldAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("Vision");
        var sub = await client.CreateProjectAsync("Vision/Detection");
        var trained = await client.CreateTaskAsync(project, "train");
        (await client.CallAsync("tasks.started", new { task = trained })).Ok();
        var model = (await client.CallAsync("models.create", new { name = "weights", uri = "http://files/weights.pt", framework = "PyTorch", project, task = trained }))
            .Ok().GetProperty("id").GetString()!;
        (await client.CallAsync("tasks.add_or_update_model", new { task = trained, name = "best", model, type = "output" })).Ok();
        (await client.CallAsync("tasks.add_or_update_artifacts", new
        {
            task = trained, artifacts = new[] { new { key = "stats", type = "dict", uri = "http://files/stats.json", mode = "output" } },
        })).Ok();
        (await client.AddEventsAsync(Enumerable.Range(0, 5).Select(i => (object)new
        {
            type = "training_stats_scalar", task = trained, iter = i, metric = "loss", variant = "train", value = 1.0 / (i + 1), timestamp = 1_790_000_000_000 + i,
        }).Append(new { type = "plot", task = trained, iter = 0, metric = "confusion", variant = "val", plot_str = "{\"data\": []}", timestamp = 1_790_000_000_000 })
            .Concat(new[] { (0, "a"), (0, "b"), (1, "a"), (1, "b") }.Select(s => (object)new
            {
                type = "training_debug_image", task = trained, iter = s.Item1, metric = "samples", variant = s.Item2,
                url = $"http://files/samples/{s.Item2}/{s.Item1}.png", timestamp = 1_790_000_000_000 + s.Item1,
            }))
            .Concat(new[] { "epoch 1", "epoch 2, a comma" }.Select((msg, i) => (object)new
            {
                type = "log", task = trained, level = "info", worker = "gpu-1", msg, timestamp = 1_790_000_000_000 + i,
            })))).Ok();
        (await client.CallAsync("tasks.completed", new { task = trained })).Ok();
        var child = await client.CreateTaskAsync(sub, "fine-tune");
        (await client.CallAsync("tasks.edit", new { task = child, parent = trained })).Ok();
        var queue = (await client.CallAsync("queues.create", new { name = "gpu" })).Ok().GetProperty("id").GetString()!;
        (await client.CallAsync("tasks.enqueue", new { task = child, queue })).Ok();
        return new World(client, project, sub, trained, child, model, queue);
    }

    private static async Task<JsonElement> Ui(ClearMlClient client, string endpoint, string body) =>
        (await client.CallAsync(endpoint, body, version: "999.0")).Ok();

    [Fact]
    public async Task The_experiment_table_gets_names_of_what_tasks_refer_to_and_times_the_ui_can_read()
    {
        var w = await WorldAsync();
        var tasks = (await Ui(w.Client, "tasks.get_all_ex", $$"""
            {"id":[],"project":["{{w.SubProject}}"],"scroll_id":null,"refresh_scroll":true,"size":30,"order_by":["-last_update"],"type":[],"user":[],
             "system_tags":["__$not","archived","__$not","pipeline","__$not","dataset","__$not","reports"],"include_subprojects":false,"search_hidden":false,
             "only_fields":["name","status","project.name","company","last_update","started","user.name","type","parent.name","parent.project.id","parent.project.name","execution.queue.name"]}
            """)).GetProperty("tasks");
        var child = Assert.Single(tasks.EnumerateArray());
        Assert.Equal(("fine-tune", "queued"), (child.GetProperty("name").GetString(), child.GetProperty("status").GetString()));
        Assert.Equal("Vision/Detection", child.GetProperty("project").GetProperty("name").GetString());
        Assert.Equal("alice", child.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("train", child.GetProperty("parent").GetProperty("name").GetString());
        Assert.Equal(("Vision", w.Project), (child.GetProperty("parent").GetProperty("project").GetProperty("name").GetString(),
            child.GetProperty("parent").GetProperty("project").GetProperty("id").GetString()));
        Assert.Equal("gpu", child.GetProperty("execution").GetProperty("queue").GetProperty("name").GetString());
        Assert.EndsWith("+00:00", child.GetProperty("last_update").GetString());
        Assert.False(child.TryGetProperty("started", out _));

        string Names(string typeFilter) => string.Join(",", Ui(w.Client, "tasks.get_all_ex",
                $$"""{"project":["{{w.Project}}","{{w.SubProject}}"],"type":{{typeFilter}},"order_by":["name"],"only_fields":["name"]}""").Result
            .GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("fine-tune,train", Names("""["__$not","annotation_manual","__$not","annotation"]"""));
        Assert.Equal("", Names("""["__$not","training"]"""));
        Assert.Equal("", Names("""["-training"]"""));
        Assert.Equal("fine-tune,train", Names("""["training"]"""));
    }

    [Fact]
    public async Task Pipeline_cards_count_only_the_tasks_the_stats_filter_selects()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("Flows/.pipelines/etl");
        foreach (var (name, type, systemTags) in new[] { ("etl", "controller", new[] { "pipeline" }), ("step", "training", Array.Empty<string>()) })
        {
            (await client.CallAsync("tasks.create", new { name, type, project, system_tags = systemTags })).Ok();
        }

        var card = (await Ui(client, "projects.get_all_ex", $$"""
            {"id":["{{project}}"],"include_stats":true,"stats_for_state":"active","search_hidden":true,"only_fields":["name"],
             "include_stats_filter":{"system_tags":["pipeline"],"type":["controller"]} }
            """)).GetProperty("projects")[0];

        var stats = card.GetProperty("stats").GetProperty("active");
        Assert.Equal(1, stats.GetProperty("total_tasks").GetInt32());
        Assert.Equal(1, stats.GetProperty("status_count").GetProperty("created").GetInt32());
    }

    [Fact]
    public async Task The_tables_auto_refresh_requeries_every_row_scrolled_through()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var project = await client.CreateProjectAsync("Refreshed");
        foreach (var name in new[] { "a", "b", "c" })
        {
            await client.CreateTaskAsync(project, name);
        }
        async Task<(string Names, string Scroll)> Page(string scroll, bool refresh)
        {
            var page = await Ui(client, "tasks.get_all_ex",
                $$"""{"project":["{{project}}"],"scroll_id":{{scroll}},"refresh_scroll":{{(refresh ? "true" : "false")}},"size":2,"order_by":["name"],"only_fields":["name"]}""");
            return (string.Join(",", page.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("name").GetString())),
                $"\"{page.GetProperty("scroll_id").GetString()}\"");
        }

        var first = await Page("null", refresh: true);
        var second = await Page(first.Scroll, refresh: false);
        var refreshed = await Page(second.Scroll, refresh: true);
        var after = await Page(refreshed.Scroll, refresh: false);

        Assert.Equal(("a,b", "c"), (first.Names, second.Names));
        Assert.Equal("a,b,c", refreshed.Names);
        Assert.Equal("", after.Names);
    }

    [Fact]
    public async Task An_experiments_artifacts_tab_reads_its_models_and_artifacts_in_one_answer()
    {
        var w = await WorldAsync();
        var task = (await Ui(w.Client, "tasks.get_by_id_ex", $$"""
            {"id":["{{w.Trained}}"],"only_fields":["models.output.name","models.output.model.name","models.output.model.uri","models.output.model.framework",
             "models.output.model.created","models.input.model.task.name","execution.artifacts","started"]}
            """)).GetProperty("tasks")[0];
        var output = Assert.Single(task.GetProperty("models").GetProperty("output").EnumerateArray());
        Assert.Equal("best", output.GetProperty("name").GetString());
        var model = output.GetProperty("model");
        Assert.Equal(("weights", "http://files/weights.pt", "PyTorch"),
            (model.GetProperty("name").GetString(), model.GetProperty("uri").GetString(), model.GetProperty("framework").GetString()));
        Assert.EndsWith("+00:00", model.GetProperty("created").GetString());
        var artifact = Assert.Single(task.GetProperty("execution").GetProperty("artifacts").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, artifact.GetProperty("display_data").ValueKind);
        Assert.Equal("output", artifact.GetProperty("mode").GetString());
        Assert.EndsWith("+00:00", task.GetProperty("started").GetString());

        var models = (await Ui(w.Client, "models.get_all_ex", $$"""
            {"id":[],"project":["{{w.Project}}"],"ready":null,"scroll_id":null,"only_fields":["name","framework","project.name","user.name","task.name","last_update"]}
            """)).GetProperty("models");
        var listed = Assert.Single(models.EnumerateArray());
        Assert.Equal(("Vision", "alice", "train"), (listed.GetProperty("project").GetProperty("name").GetString(),
            listed.GetProperty("user").GetProperty("name").GetString(), listed.GetProperty("task").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Project_cards_get_statistics_sub_projects_and_own_contents()
    {
        var w = await WorldAsync();
        var projects = (await Ui(w.Client, "projects.get_all_ex", """
            {"stats_for_state":"active","include_stats":true,"shallow_search":true,"check_own_contents":true,"scroll_id":null,"size":16,
             "order_by":["featured","-last_update"],"only_fields":["name","company","user","created","basename","system_tags"]}
            """)).GetProperty("projects");
        var vision = Assert.Single(projects.EnumerateArray());
        Assert.Equal("Vision", vision.GetProperty("name").GetString());
        var active = vision.GetProperty("stats").GetProperty("active");
        Assert.Equal((2, 1, 1), (active.GetProperty("total_tasks").GetInt32(), active.GetProperty("status_count").GetProperty("completed").GetInt32(),
            active.GetProperty("status_count").GetProperty("queued").GetInt32()));
        Assert.Equal(1, active.GetProperty("completed_tasks_24h").GetInt32());
        Assert.Equal("Vision/Detection", Assert.Single(vision.GetProperty("sub_projects").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal((1, 1), (vision.GetProperty("own_tasks").GetInt32(), vision.GetProperty("own_models").GetInt32()));
        Assert.Equal("alice", vision.GetProperty("user").GetProperty("name").GetString());

        var own = (await Ui(w.Client, "projects.get_all_ex", $$"""{"id":["{{w.Project}}"],"include_stats":true,"stats_with_children":false}""")).GetProperty("projects")[0];
        Assert.Equal(1, own.GetProperty("stats").GetProperty("active").GetProperty("total_tasks").GetInt32());
    }

    [Fact]
    public async Task Queues_name_their_waiting_tasks_and_reports_list_only_reports()
    {
        var w = await WorldAsync();
        var queue = (await Ui(w.Client, "queues.get_all_ex", """{"only_fields":["*","entries.task.name"]}""")).GetProperty("queues")
            .EnumerateArray().Single(q => q.GetProperty("id").GetString() == w.Queue);
        Assert.Equal("gpu", queue.GetProperty("name").GetString());
        Assert.Equal("fine-tune", Assert.Single(queue.GetProperty("entries").EnumerateArray()).GetProperty("task").GetProperty("name").GetString());

        Assert.Empty((await Ui(w.Client, "reports.get_all_ex", """{"only_fields":["name"],"size":5}""")).GetProperty("tasks").EnumerateArray());
        var report = await w.Client.CreateTaskAsync(w.Project, "weekly", type: "report");
        Assert.Equal(report, Assert.Single((await Ui(w.Client, "reports.get_all_ex", """{"only_fields":["name"]}""")).GetProperty("tasks").EnumerateArray())
            .GetProperty("id").GetString());
    }

    [Fact]
    public async Task Comparison_gets_the_metrics_of_several_tasks_and_plot_pages_end()
    {
        var w = await WorldAsync();
        var metrics = (await Ui(w.Client, "events.get_multi_task_metrics", $$"""{"tasks":["{{w.Trained}}","{{w.Child}}"],"event_type":"training_stats_scalar"}"""))
            .GetProperty("metrics");
        var loss = Assert.Single(metrics.EnumerateArray());
        Assert.Equal(("loss", "train"), (loss.GetProperty("metric").GetString(), loss.GetProperty("variants")[0].GetString()));
        Assert.Equal("confusion", (await Ui(w.Client, "events.get_multi_task_metrics", $$"""{"tasks":["{{w.Trained}}"],"event_type":"plot"}"""))
            .GetProperty("metrics")[0].GetProperty("metric").GetString());

        var body = $$"""{"tasks":["{{w.Trained}}","{{w.Child}}"],"model_events":false,"metrics":[{"metric":"confusion","variants":["val"]}],"last_iters_per_task_metric":true,"iters":1}""";
        var first = await Ui(w.Client, "events.get_multi_task_plots", body);
        Assert.Equal(1, first.GetProperty("returned").GetInt32());
        Assert.Equal("train", first.GetProperty("plots").GetProperty("confusion").GetProperty("val").GetProperty(w.Trained).GetProperty("0").GetProperty("name").GetString());
        var next = await Ui(w.Client, "events.get_multi_task_plots", body.TrimEnd('}') + $$""","scroll_id":"{{first.GetProperty("scroll_id").GetString()}}"}""");
        Assert.Equal(0, next.GetProperty("returned").GetInt32());
    }

    [Fact]
    public async Task The_image_viewer_moves_across_variants_and_iterations_and_stops_at_the_ends()
    {
        var w = await WorldAsync();
        string Shown(JsonElement sample) => sample.GetProperty("event").GetProperty("url").GetString()!.Replace("http://files/samples/", "");
        var first = await Ui(w.Client, "events.get_debug_image_sample", $$"""{"task":"{{w.Trained}}","metric":"samples","variant":"a","navigate_current_metric":true}""");
        Assert.Equal(("a/1.png", 0, 1), (Shown(first), first.GetProperty("min_iteration").GetInt32(), first.GetProperty("max_iteration").GetInt32()));
        async Task<JsonElement> Next(JsonElement at, bool earlier = false, bool iteration = false) => await Ui(w.Client, "events.next_debug_image_sample",
            $$"""{"task":"{{w.Trained}}","scroll_id":"{{at.GetProperty("scroll_id").GetString()}}","navigate_earlier":{{(earlier ? "true" : "false")}},"next_iteration":{{(iteration ? "true" : "false")}}}""");
        var second = await Next(first);
        Assert.Equal("b/1.png", Shown(second));
        var end = await Next(second);
        Assert.False(end.TryGetProperty("event", out _));
        Assert.Equal("a/1.png", Shown(await Next(second, earlier: true)));
        Assert.Equal("a/0.png", Shown(await Next(first, earlier: true, iteration: true)));
        Assert.Equal("b/0.png", Shown(await Next(first, earlier: true)));
        var older = await Ui(w.Client, "events.get_debug_image_sample", $$"""{"task":"{{w.Trained}}","metric":"samples","variant":"b","iteration":0}""");
        Assert.Equal("b/0.png", Shown(older));
    }

    [Fact]
    public async Task The_console_log_and_the_tables_download_as_files()
    {
        var w = await WorldAsync();
        var log = await w.Client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/api/v999.0/events.download_task_log?task={w.Trained}&line_type=text&line_format={{level}} {{msg}}")
        {
            Headers = { Authorization = new("Bearer", w.Client.Token) },
        });
        Assert.Equal("attachment", log.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("info epoch 1\ninfo epoch 2, a comma\n", await log.Content.ReadAsStringAsync());

        var prepared = await Ui(w.Client, "organization.prepare_download_for_get_all", $$"""
            {"entity_type":"task","only_fields":["name","status","project.name"],"project":["{{w.Project}}","{{w.SubProject}}"],"order_by":["name"],
             "field_mappings":[{"field":"name","name":"Name"},{"field":"status","name":"Status","values":[{"key":"completed","value":"Done"}]},{"field":"project.name","name":"Project"}]}
            """);
        var csv = await w.Client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/api/v999.0/organization.download_for_get_all?prepare_id={prepared.GetProperty("prepare_id").GetString()}")
        {
            Headers = { Authorization = new("Bearer", w.Client.Token) },
        });
        Assert.Equal("Name,Status,Project\r\nfine-tune,queued,Vision/Detection\r\ntrain,Done,Vision\r\n", await csv.Content.ReadAsStringAsync());
        (await w.Client.CallAsync("organization.download_for_get_all", new { prepare_id = "not-a-prepare-id" })).AssertError(400, 12);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class WebUiEndpointTestsOnPostgres(PostgresFixture fixture) : WebUiEndpointTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class WebUiEndpointTestsOnSqlite(SqliteFixture fixture) : WebUiEndpointTests(fixture);
