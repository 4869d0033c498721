using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Hosting;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>events.*</c>: scalars land in the time-series table, everything else in the events table.</summary>
public static class EventsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("events.add_batch", AddBatch);
        api.MapAction("events.add", Add);
    }

    internal const string ScalarType = "training_stats_scalar";

    internal static readonly Dictionary<string, EventKind> NonScalarTypes = new()
    {
        ["log"] = EventKind.Log,
        ["plot"] = EventKind.Plot,
        ["training_debug_image"] = EventKind.Image,
        ["training_stats_vector"] = EventKind.Vector,
    };

    public sealed record AddBatchResponse(int Added, int Errors, Dictionary<string, int> ErrorsInfo);

    /// <summary>
    /// Accepts what it can and reports the rest per reason, as ClearML does; a batch with nothing
    /// acceptable is a 400 (events not added). Accepted events are committed before the answer.
    /// </summary>
    public static Task<AddBatchResponse> AddBatch(ClearMlCall call, ExperimentRepository tasks, MetricsStore store, TimeProvider clock, CancellationToken ct) =>
        AddAsync(call, call.ReadBatch(), tasks, store, clock, ct);

    /// <summary>One event, the request body itself; answered like a batch of one.</summary>
    public static async Task<object> Add(ClearMlCall call, ExperimentRepository tasks, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        await AddAsync(call, [JsonSerializer.SerializeToElement(call.Fields)], tasks, store, clock, ct);
        return new { };
    }

    private static async Task<AddBatchResponse> AddAsync(
        ClearMlCall call, IReadOnlyList<JsonElement> batch, ExperimentRepository tasks, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            throw new ClearMlException(400, 17, "batch request contains no items");
        }
        var referenced = batch.Select(e => Guid.TryParse(Text(e, "task"), out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct().ToList();
        var statuses = await tasks.StatusesAsync(referenced, ct);
        var errors = new Dictionary<string, int>();
        var points = new List<PointInput>();
        var events = new List<EventInput>();
        var worker = call.Http.Request.Headers["X-ClearML-Worker"].ToString();
        foreach (var item in batch)
        {
            var problem = Accept(item, statuses, worker, points, events, clock);
            if (problem is not null)
            {
                errors[problem] = errors.GetValueOrDefault(problem) + 1;
            }
        }
        if (points.Count + events.Count == 0)
        {
            throw new ClearMlException(400, 131, "events not added: " + string.Join("; ", errors.Select(e => $"{e.Key} ({e.Value})")));
        }
        await store.AppendAsync(points, events, ct, await IngestReceipts.OfAsync(call.Http));
        return new AddBatchResponse(points.Count + events.Count, errors.Values.Sum(), errors);
    }

    /// <summary>Adds the event to the points or events to write, or returns why it cannot be accepted.</summary>
    private static string? Accept(
        JsonElement item, IReadOnlyDictionary<Guid, ExperimentStatus> statuses, string worker, List<PointInput> points, List<EventInput> events, TimeProvider clock)
    {
        var type = Text(item, "type")?.Replace(' ', '_');
        if (type is null)
        {
            return "Event must have a 'type' field";
        }
        if (type != ScalarType && !NonScalarTypes.ContainsKey(type))
        {
            return $"Invalid event type {type}";
        }
        if (Flag(item, "model_event"))
        {
            return "Model events are not supported";
        }
        var taskText = Text(item, "task");
        if (taskText is null)
        {
            return "Event must have a 'task' field";
        }
        if (!Guid.TryParse(taskText, out var task) || !statuses.TryGetValue(task, out var status)
            || (!Flag(item, "allow_locked") && status is ExperimentStatus.Published or ExperimentStatus.Publishing))
        {
            return $"Invalid task id {taskText}";
        }
        long? iteration = null;
        if (item.TryGetProperty("iter", out var iterValue) && iterValue.ValueKind != JsonValueKind.Null)
        {
            if (iterValue.ValueKind != JsonValueKind.Number
                || (!iterValue.TryGetInt64(out var iter) && !(iterValue.TryGetDouble(out var d) && TryLong(d, out iter))))
            {
                return "Iteration number should not exceed 9223372036854775807";
            }
            iteration = iter;
        }
        var timestamp = Timestamp(item, clock);
        var metric = Text(item, "metric") ?? "";
        var variant = Text(item, "variant") ?? "";
        if (type == ScalarType)
        {
            if (!item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
            {
                return "Scalar event must have a numeric 'value' field";
            }
            points.Add(new PointInput(task, metric, variant, iteration ?? 0, null, timestamp, number));
            return null;
        }
        var stored = JsonObject.Create(item)!;
        stored["metric"] = metric;
        stored["variant"] = variant;
        stored["timestamp"] = new DateTimeOffset(timestamp).ToUnixTimeMilliseconds();
        if (stored["worker"] is null && worker.Length > 0)
        {
            stored["worker"] = worker;
        }
        events.Add(new EventInput(task, NonScalarTypes[type], iteration, metric, variant, timestamp, stored.ToJsonString()));
        return null;
    }

    private static string? Text(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>ClearML timestamps are milliseconds since the epoch; absent means now.</summary>
    private static DateTime Timestamp(JsonElement item, TimeProvider clock)
    {
        var found = (item.TryGetProperty("timestamp", out var field) && field.ValueKind != JsonValueKind.Null) || item.TryGetProperty("ts", out field);
        return found && field.ValueKind == JsonValueKind.Number && field.TryGetDouble(out var ms) && ms is > 0 and < 253402300799999
            ? DateTime.UnixEpoch.AddMilliseconds(ms)
            : clock.GetUtcNow().UtcDateTime;
    }

    private static bool TryLong(double value, out long result)
    {
        var inRange = value is >= long.MinValue and <= long.MaxValue && value == Math.Floor(value);
        result = inRange ? (long)value : 0;
        return inRange;
    }
}
