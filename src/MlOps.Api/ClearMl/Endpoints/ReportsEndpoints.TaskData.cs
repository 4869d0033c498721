using MlOps.Data.Replication;
using System.Text.Json.Nodes;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// reports.get_task_data: what a report's embedded widgets show (plots, scalar charts, debug images, single values, tables of tasks).
public static partial class ReportsEndpoints
{
    /// <summary>The event sections a widget asks for; each is the request of the events call that serves it.</summary>
    private static readonly string[] Sections = ["plots", "debug_images", "scalar_metrics_iter_histogram", "single_value_metrics"];

    public sealed record TaskDataRequest(bool ModelEvents);

    public sealed record TaskDataResponse(
        List<JsonObject> Tasks,
        string? ScrollId,
        object? Plots,
        List<EventsReadEndpoints.TaskIterations>? DebugImages,
        object? ScalarMetricsIterHistogram,
        List<EventsReadEndpoints.TaskSingleValues>? SingleValueMetrics);

    /// <summary>
    /// The tasks the query selects (as tasks.get_all_ex answers, references named), and for them each section asked for,
    /// as the events call of that section answers it for those tasks. Models (<c>model_events</c>) have no events here
    /// (model events are not stored), so their sections are empty.
    /// </summary>
    public static async Task<TaskDataResponse> GetTaskData(
        ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, ReadSide reads, CancellationToken ct)
    {
        var request = call.Read<TaskDataRequest>();
        var sections = Sections.Where(s => call.Fields[s] is not null).ToDictionary(s => s, s => call.Fields[s] as JsonObject
            ?? throw ClearMlException.Validation($"invalid value for field '{s}'"));
        var query = ClearMlCall.WithFields(call.Http, call.FieldsExcept([.. Sections, "model_events"]));
        if (request.ModelEvents)
        {
            var found = await ModelsEndpoints.GetAllEx(query, reads, ct);
            return new TaskDataResponse(found.Models, found.ScrollId,
                sections.ContainsKey("plots") ? new JsonObject() : null,
                sections.ContainsKey("debug_images") ? [] : null,
                sections.ContainsKey("scalar_metrics_iter_histogram") ? new JsonObject() : null,
                sections.ContainsKey("single_value_metrics") ? [] : null);
        }
        var selected = await TasksEndpoints.GetAllEx(query, reads, ct);
        var ids = selected.Tasks.Select(t => t["id"]!.GetValue<string>()).ToList();
        return new TaskDataResponse(selected.Tasks, selected.ScrollId,
            await SectionAsync(sections, "plots", ids, async c => (object)(await EventsReadEndpoints.MultiTaskPlots(c, tasks, reader, ct)).Plots, new JsonObject()),
            await SectionAsync(sections, "debug_images", ids, async c => (await EventsReadEndpoints.DebugImages(c, tasks, reader, ct)).Metrics, []),
            await SectionAsync(sections, "scalar_metrics_iter_histogram", ids,
                async c => (object)(await EventsReadEndpoints.MultiTaskScalarHistogram(c, tasks, reader, ct)).Metrics, new JsonObject()),
            await SectionAsync(sections, "single_value_metrics", ids, async c => (await EventsReadEndpoints.SingleValueMetrics(c, tasks, reader, ct)).Tasks, []));

        Task<T?> SectionAsync<T>(Dictionary<string, JsonObject> asked, string name, List<string> taskIds, Func<ClearMlCall, Task<T>> read, T none)
            where T : class
        {
            if (!asked.TryGetValue(name, out var section))
            {
                return Task.FromResult<T?>(null);
            }
            return taskIds.Count == 0 ? Task.FromResult<T?>(none) : ReadAsync();

            async Task<T?> ReadAsync() => await read(ClearMlCall.WithFields(call.Http, EventsQuery(name, section, taskIds)));
        }
    }

    /// <summary>A section's request for the events call: the tasks' ids, and for debug images one entry per task and metric.</summary>
    private static JsonObject EventsQuery(string section, JsonObject asked, List<string> taskIds)
    {
        var query = (JsonObject)asked.DeepClone();
        if (section != "debug_images")
        {
            query["tasks"] = new JsonArray([.. taskIds.Select(t => JsonValue.Create(t))]);
            return query;
        }
        var metrics = asked["metrics"] as JsonArray is { Count: > 0 } given ? given : new JsonArray(new JsonObject());
        query["metrics"] = new JsonArray([.. taskIds.SelectMany(task => metrics.Select(m =>
        {
            var entry = m is JsonObject metric ? (JsonObject)metric.DeepClone() : new JsonObject();
            entry["task"] = task;
            return (JsonNode)entry;
        }))]);
        return query;
    }
}
