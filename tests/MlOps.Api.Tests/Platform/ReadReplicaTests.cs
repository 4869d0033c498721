using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

/// <summary>
/// Heavy reads on a PostgreSQL streaming replica (<c>ConnectionStrings:MlOpsReadOnly</c>). Whether a read ran on the replica
/// is read from the replica's statement log: every tenant query carries the caller's workspace id as a parameter, so a
/// call whose span of the log names the workspace was served there, and one whose span does not was served by the primary.
/// </summary>
public sealed class ReadReplicaTests(ReadReplicaFixture fixture) : IClassFixture<ReadReplicaFixture>
{
    private sealed record Tenant(string Workspace, string WorkspaceId, MlOps.Data.Tenancy.IssuedCredentials Keys, ClearMlClient ClearMl, CometClient Comet);

    private async Task<Tenant> TenantAsync()
    {
        var workspace = "replica-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Server.CreateTenantAsync(workspace);
        return new Tenant(
            workspace,
            (await fixture.WorkspaceIdAsync(workspace)).ToString(),
            keys,
            await fixture.Server.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey),
            new CometClient(fixture.Server.CreateClient(), keys.ApiKey));
    }

    /// <summary>A task in a new project with a curve, console lines and a debug image, as a training run leaves them.</summary>
    private static async Task<(string Project, string Task)> TrainingRunAsync(ClearMlClient clearMl, string name)
    {
        var project = await clearMl.CreateProjectAsync(name);
        var task = await clearMl.CreateTaskAsync(project, name);
        var events = Enumerable.Range(0, 20).Select(i => (object)new { type = "training_stats_scalar", task, iter = i, metric = "loss", variant = "train", value = 1.0 / (i + 1) })
            .Append(new { type = "log", task, level = "info", msg = "epoch done", worker = "w" })
            .Append(new { type = "training_debug_image", task, iter = 3, metric = "samples", variant = "a", key = "samples/a/3", url = "http://files/samples/a/3.png" });
        (await clearMl.AddEventsAsync(events)).Ok();
        return (project, task);
    }

    /// <summary>Runs the read and returns what the replica logged meanwhile.</summary>
    private async Task<string> ReplicaLogDuringAsync(Func<Task> read)
    {
        var before = fixture.ReplicaLogLength;
        await read();
        return await fixture.ReplicaLogSinceAsync(before);
    }

    [Fact]
    public async Task Curves_event_scrolls_and_list_pages_are_served_by_the_replica_once_it_has_replayed_the_writes()
    {
        var tenant = await TenantAsync();
        var zenMl = await ZenMlClient.LoginAsync(fixture.Server.CreateClient(), $"{tenant.Workspace}/alice", "alice-password");
        var name = "replicated-" + Guid.NewGuid().ToString("N")[..8];
        var (project, task) = await TrainingRunAsync(tenant.ClearMl, name);
        (await tenant.ClearMl.CallAsync("models.create", new { name = "weights", uri = "http://files/w.pt", project, task })).Ok();
        var experiment = (await tenant.Comet.PostAsync("write/experiment/create", new { workspaceName = tenant.Workspace, projectName = name }))
            .Ok().GetProperty("experimentKey").GetString()!;
        await fixture.WaitForReplayAsync();

        var reads = new (string Read, Func<Task> Call)[]
        {
            ("events.scalar_metrics_iter_histogram", async () => Assert.Equal(20, (await tenant.ClearMl.CallAsync("events.scalar_metrics_iter_histogram", new { task })).Ok()
                .GetProperty("loss").GetProperty("train").GetProperty("y").GetArrayLength())),
            ("events.get_task_log", async () => Assert.Equal("epoch done", (await tenant.ClearMl.CallAsync("events.get_task_log", new { task })).Ok()
                .GetProperty("events")[0].GetProperty("msg").GetString())),
            ("events.debug_images", async () => Assert.Contains("http://files/samples/a/3.png", (await tenant.ClearMl.CallAsync("events.debug_images",
                new { metrics = new[] { new { task, metric = "samples" } }, iters = 1 })).Ok().GetRawText())),
            ("tasks.get_all_ex", async () => Assert.Equal(task, (await tenant.ClearMl.CallAsync("tasks.get_all_ex", new { project = new[] { project } })).Ok()
                .GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name).GetProperty("id").GetString())),
            ("projects.get_all_ex", async () => Assert.Contains(project, (await tenant.ClearMl.CallAsync("projects.get_all_ex", new { include_stats = true })).Ok()
                .GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("id").GetString()))),
            ("models.get_all", async () => Assert.Equal("weights", (await tenant.ClearMl.CallAsync("models.get_all", new { task = new[] { task } })).Ok()
                .GetProperty("models")[0].GetProperty("name").GetString())),
            ("Comet experiments", async () => Assert.Equal([task, experiment], (await tenant.Comet.GetAsync($"experiments?workspaceName={tenant.Workspace}&projectName={name}")).Ok()
                .GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("experimentKey").GetString()))),
            ("ZenML projects", async () => Assert.Contains(name, (await zenMl.GetAsync("/projects?size=100")).Ok()
                .GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()))),
        };

        foreach (var (read, call) in reads)
        {
            var log = await ReplicaLogDuringAsync(call);
            Assert.True(log.Contains(tenant.WorkspaceId, StringComparison.Ordinal), $"{read} did not read from the replica");
        }
    }

    [Fact]
    public async Task A_write_through_one_server_is_read_back_at_once_through_another_while_the_replica_lags()
    {
        var writer = await TenantAsync();
        var other = fixture.NewServer(fixture.ReplicaConnectionString); // the default wait, 200 ms
        var reader = await other.ClearMl().LoginAsync(writer.Keys.AccessKey, writer.Keys.SecretKey);
        await fixture.WaitForReplayAsync();
        await fixture.PauseReplayAsync();
        try
        {
            var name = "lagging-" + Guid.NewGuid().ToString("N")[..8];
            var (project, task) = await TrainingRunAsync(writer.ClearMl, name);

            var log = await ReplicaLogDuringAsync(async () =>
            {
                var tasks = (await reader.CallAsync("tasks.get_all", new { project = new[] { project } })).Ok().GetProperty("tasks");
                Assert.Equal(task, tasks.EnumerateArray().Single().GetProperty("id").GetString());
                var curve = (await reader.CallAsync("events.scalar_metrics_iter_histogram", new { task })).Ok();
                Assert.Equal(20, curve.GetProperty("loss").GetProperty("train").GetProperty("y").GetArrayLength());
            });

            Assert.False(log.Contains(writer.WorkspaceId, StringComparison.Ordinal), "a read went to the replica that had not replayed the write");
        }
        finally
        {
            await fixture.ResumeReplayAsync();
        }
    }

    [Fact]
    public async Task Reads_answer_from_the_primary_when_the_replica_cannot_be_reached()
    {
        var tenant = await TenantAsync();
        var (project, task) = await TrainingRunAsync(tenant.ClearMl, "unreachable-" + Guid.NewGuid().ToString("N")[..8]);
        var nobody = new Npgsql.NpgsqlConnectionStringBuilder(fixture.ReplicaConnectionString) { Port = ClosedPort() }.ConnectionString;
        var server = fixture.NewServer(nobody);
        var client = await server.ClearMl().LoginAsync(tenant.Keys.AccessKey, tenant.Keys.SecretKey);

        for (var i = 0; i < 2; i++) // the first finds the replica down, the second skips it for a while
        {
            Assert.Equal(task, (await client.CallAsync("tasks.get_all_ex", new { project = new[] { project } })).Ok().GetProperty("tasks")[0].GetProperty("id").GetString());
            Assert.Equal(20, (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task })).Ok()
                .GetProperty("loss").GetProperty("train").GetProperty("y").GetArrayLength());
            Assert.Equal("epoch done", (await client.CallAsync("events.get_task_log", new { task })).Ok().GetProperty("events")[0].GetProperty("msg").GetString());
        }
    }

    [Fact]
    public async Task A_read_on_the_replica_returns_only_the_callers_workspace()
    {
        var first = await TenantAsync();
        var second = await TenantAsync();
        var name = "same-name-" + Guid.NewGuid().ToString("N")[..8];
        var (_, firstTask) = await TrainingRunAsync(first.ClearMl, name);
        var (_, secondTask) = await TrainingRunAsync(second.ClearMl, name);
        await fixture.WaitForReplayAsync();

        foreach (var (tenant, own, other) in new[] { (first, firstTask, second), (second, secondTask, first) })
        {
            JsonElement tasks = default, projects = default, comet = default;
            var log = await ReplicaLogDuringAsync(async () =>
            {
                tasks = (await tenant.ClearMl.CallAsync("tasks.get_all_ex", new { name = $"^{name}$" })).Ok().GetProperty("tasks");
                projects = (await tenant.ClearMl.CallAsync("projects.get_all_ex", new { name = $"^{name}$" })).Ok().GetProperty("projects");
                comet = (await tenant.Comet.GetAsync($"projects?workspaceName={tenant.Workspace}")).Ok().GetProperty("projects");
            });

            Assert.Equal([own], tasks.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
            Assert.Single(projects.EnumerateArray());
            Assert.Single(comet.EnumerateArray(), p => p.GetProperty("projectName").GetString() == name);
            Assert.Contains(tenant.WorkspaceId, log, StringComparison.Ordinal);
            Assert.DoesNotContain(other.WorkspaceId, log, StringComparison.Ordinal);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
