using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// What the run page draws and reads: the run's DAG (a node per step; edges only where a step names the steps it
/// follows, which the shared model does not record, so none) and the console output of a run or a step as log entries.
/// </summary>
public static class ZenMlRunGraph
{
    private const int MaxLogEntries = 10_000;

    private sealed record Node(string NodeId, string Type, Guid Id, string Name, JsonObject Metadata);

    private sealed record Edge(string Source, string Target);

    private sealed record Dag(Guid Id, string Status, List<Node> Nodes, List<Edge> Edges);

    private sealed record LogEntry(string Message, string? Name, int? Level, DateTime Timestamp, string Id);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/runs/{run_id}/dag", async (string run_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var run = await pipelines.GetRunAsync(ZenMlApi.PathId(run_id, "run_id"), http.RequestAborted);
            var steps = await pipelines.Steps.Where(s => s.ParentId == run.Id).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(http.RequestAborted);
            return new Dag(run.Id, ZenMlMapping.RunStatusOf(run.Status), steps.Select(StepNode).ToList(), []);
        });
        api.MapGet("/runs/{run_id}/logs", async (string run_id, HttpContext http, PipelineRepository pipelines, MetricsReader reader) =>
        {
            var run = await pipelines.GetRunAsync(ZenMlApi.PathId(run_id, "run_id"), http.RequestAborted);
            return await LogsAsync(reader, run.Id, http.RequestAborted);
        });
        api.MapGet("/steps/{step_id}/logs", async (string step_id, HttpContext http, PipelineRepository pipelines, MetricsReader reader) =>
        {
            var step = await pipelines.GetStepAsync(ZenMlApi.PathId(step_id, "step_id"), http.RequestAborted);
            return await LogsAsync(reader, step.Id, http.RequestAborted);
        });
    }

    private static Node StepNode(Experiment step)
    {
        var metadata = new JsonObject { ["status"] = ZenMlMapping.RunStatusOf(step.Status) };
        if (step.StartedAt is { } start)
        {
            metadata["start_time"] = start;
            if (step.CompletedAt is { } end)
            {
                metadata["duration"] = (end - start).TotalSeconds;
            }
        }
        return new Node(step.Id.ToString(), "step", step.Id, step.Name, metadata);
    }

    /// <summary>The experiment's console, oldest line first, as ZenML's log entries (a ClearML line's text is its <c>msg</c>).</summary>
    private static async Task<List<LogEntry>> LogsAsync(MetricsReader reader, Guid experimentId, CancellationToken ct)
    {
        var lines = await reader.LogPageAsync(experimentId, null, earlier: false, MaxLogEntries, ct);
        return lines.Select(line =>
        {
            using var payload = JsonDocument.Parse(line.Payload);
            var root = payload.RootElement;
            var message = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String
                ? msg.GetString()! : line.Payload;
            var level = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("level", out var l) && l.ValueKind == JsonValueKind.String
                ? LevelOf(l.GetString()!) : null;
            return new LogEntry(message, null, level, line.Timestamp, line.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }).ToList();
    }

    private static int? LevelOf(string level) => level.ToLowerInvariant() switch
    {
        "debug" => 10,
        "info" or "notset" => 20,
        "warn" or "warning" => 30,
        "error" => 40,
        "critical" or "fatal" => 50,
        _ => null,
    };
}
