using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl.Recorded;

/// <summary>
/// The unmodified clearml-agent 1.9.2, recorded (tests/clearml-agent/run.sh --record): the SDK enqueues two tasks; the
/// agent daemon registers, pulls each from the queue, runs it as a subprocess that reports through the SDK (parameters,
/// scalars, an artifact; one task raises), reports its console and the status, then unregisters; a fresh SDK process
/// reads the results back.
/// </summary>
public abstract class SdkReplayAgentTests(IServerFixture fixture) : RecordedSessionTests(fixture)
{
    [Fact]
    public async Task A_recorded_agent_session_pulls_runs_and_reports_both_queued_tasks()
    {
        var (client, session) = await ReplayAsync("agent-enqueue.jsonl");
        var queue = (await client.CallAsync("queues.get_all", new { name = "^agent-live$" })).Ok().GetProperty("queues")[0];
        Assert.Equal(2, queue.GetProperty("entries").GetArrayLength());
        await session.ReplayAsync("agent-daemon.jsonl");

        var job = await TaskAsync(client, "agent job");
        var id = job.GetProperty("id").GetString()!;
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal("agent-live:cpu:0", job.GetProperty("last_worker").GetString());
        Assert.Equal(("5", "0.2"), (Param(job, "General", "epochs"), Param(job, "General", "lr")));
        Assert.Equal("vm", job.GetProperty("runtime").GetProperty("_exec_agent_hostname").GetString());
        var loss = (await client.CallAsync("events.scalar_metrics_iter_histogram", new { task = id, key = "iter" })).Ok().GetProperty("loss").GetProperty("train");
        Assert.Equal(Enumerable.Range(0, 5).Select(e => Math.Round(0.2 / (e + 1), 6)), loss.GetProperty("y").EnumerateArray().Select(y => Math.Round(y.GetDouble(), 6)));
        var console = await ConsoleAsync(client, id);
        Assert.Contains("by worker agent-live:cpu:0", console);
        Assert.Contains("agent job starting with epochs=5 lr=0.2", console);
        Assert.Contains("Process completed successfully", console);
        Assert.Equal("result", Artifact(job, "result").GetProperty("key").GetString());

        var failing = await TaskAsync(client, "failing job");
        Assert.Equal("failed", failing.GetProperty("status").GetString());
        Assert.Contains("this job was asked to fail", await ConsoleAsync(client, failing.GetProperty("id").GetString()!));
        queue = (await client.CallAsync("queues.get_all", new { name = "^agent-live$" })).Ok().GetProperty("queues")[0];
        Assert.Equal(0, queue.GetProperty("entries").GetArrayLength());
        var workers = (await client.CallAsync("workers.get_all", new { })).Ok().GetProperty("workers");
        Assert.DoesNotContain(workers.EnumerateArray(), w => w.GetProperty("id").GetString() == "agent-live:cpu:0");
    }

    [Fact]
    public async Task A_fresh_sdk_process_reads_the_agents_results_back_as_recorded()
    {
        var (_, session) = await ReplayAsync("agent-enqueue.jsonl");
        await session.ReplayAsync("agent-daemon.jsonl");

        await session.ReplayAsync("agent-read.jsonl");

        Assert.True(session.Downloads >= 1, $"{session.Downloads} downloads checked");
    }

    private static async Task<string> ConsoleAsync(ClearMlClient client, string task) =>
        string.Join("\n", (await client.CallAsync("events.get_task_log", new { task, batch_size = 1000, navigate_earlier = false })).Ok()
            .GetProperty("events").EnumerateArray().Select(e => e.GetProperty("msg").GetString()));
}

[Collection(PostgresCollection.Name)]
public sealed class SdkReplayAgentTestsOnPostgres(PostgresFixture fixture) : SdkReplayAgentTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class SdkReplayAgentTestsOnSqlite(SqliteFixture fixture) : SdkReplayAgentTests(fixture);
