using System.Diagnostics;
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
    public static Task<AddBatchResponse> AddBatch(ClearMlCall call, ExperimentRepository tasks, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        return AddAsync(call, call.BatchItems(), started, tasks, store, clock, ct);
    }

    /// <summary>One event, the request body itself; answered like a batch of one.</summary>
    public static async Task<object> Add(ClearMlCall call, ExperimentRepository tasks, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        await AddAsync(call, [JsonSerializer.SerializeToUtf8Bytes(call.Fields)], Stopwatch.GetTimestamp(), tasks, store, clock, ct);
        return new { };
    }

    private static async Task<AddBatchResponse> AddAsync(
        ClearMlCall call, IReadOnlyList<ReadOnlyMemory<byte>> batch, long started, ExperimentRepository tasks, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            throw new ClearMlException(400, 17, "batch request contains no items");
        }
        var strings = new Utf8Strings();
        var items = batch.Select(item => EventFields.Read(item, strings)).ToList();
        var taskIds = items.Select(e => e.Task).OfType<string>().Distinct()
            .Select(text => (Text: text, Ok: Guid.TryParse(text, out var id), Id: id)).Where(t => t.Ok).ToDictionary(t => t.Text, t => t.Id);
        var stage = IngestMetrics.Spent(IngestStage.Parse, started);
        var statuses = await tasks.StatusesAsync([.. taskIds.Values.Distinct()], ct);
        stage = IngestMetrics.Spent(IngestStage.Prepare, stage);
        var errors = new Dictionary<string, int>();
        var points = new List<PointInput>(items.Count);
        var events = new List<EventInput>();
        var worker = call.Http.Request.Headers["X-ClearML-Worker"].ToString();
        foreach (var item in items)
        {
            var problem = Accept(item, taskIds, statuses, worker, points, events, clock);
            if (problem is not null)
            {
                errors[problem] = errors.GetValueOrDefault(problem) + 1;
            }
        }
        IngestMetrics.Spent(IngestStage.Parse, stage);
        if (points.Count + events.Count == 0)
        {
            throw new ClearMlException(400, 131, "events not added: " + string.Join("; ", errors.Select(e => $"{e.Key} ({e.Value})")));
        }
        await store.AppendAsync(points, events, ct, await IngestReceipts.OfAsync(call.Http));
        return new AddBatchResponse(points.Count + events.Count, errors.Values.Sum(), errors);
    }

    /// <summary>Adds the event to the points or events to write, or returns why it cannot be accepted.</summary>
    private static string? Accept(
        EventFields item, Dictionary<string, Guid> taskIds, IReadOnlyDictionary<Guid, ExperimentStatus> statuses, string worker,
        List<PointInput> points, List<EventInput> events, TimeProvider clock)
    {
        var type = item.Type?.Replace(' ', '_');
        if (type is null)
        {
            return "Event must have a 'type' field";
        }
        if (type != ScalarType && !NonScalarTypes.ContainsKey(type))
        {
            return $"Invalid event type {type}";
        }
        if (item.ModelEvent)
        {
            return "Model events are not supported";
        }
        if (item.Task is null)
        {
            return "Event must have a 'task' field";
        }
        if (!taskIds.TryGetValue(item.Task, out var task) || !statuses.TryGetValue(task, out var status)
            || (!item.AllowLocked && status is ExperimentStatus.Published or ExperimentStatus.Publishing))
        {
            return $"Invalid task id {item.Task}";
        }
        if (item.IterationInvalid)
        {
            return "Iteration number should not exceed 9223372036854775807";
        }
        var timestamp = item.Milliseconds is > 0 and < 253402300799999 ? DateTime.UnixEpoch.AddMilliseconds(item.Milliseconds.Value) : clock.GetUtcNow().UtcDateTime;
        var metric = item.Metric ?? "";
        var variant = item.Variant ?? "";
        if (type == ScalarType)
        {
            if (item.Value is not { } number)
            {
                return "Scalar event must have a numeric 'value' field";
            }
            points.Add(new PointInput(task, metric, variant, item.Iteration ?? 0, null, timestamp, number));
            return null;
        }
        var stored = (JsonObject)JsonNode.Parse(item.Json.Span)!;
        stored["metric"] = metric;
        stored["variant"] = variant;
        stored["timestamp"] = new DateTimeOffset(timestamp).ToUnixTimeMilliseconds();
        if (stored["worker"] is null && worker.Length > 0)
        {
            stored["worker"] = worker;
        }
        events.Add(new EventInput(task, NonScalarTypes[type], item.Iteration, metric, variant, timestamp, stored.ToJsonString()));
        return null;
    }

    /// <summary>
    /// What <see cref="Accept"/> needs of one event, read in one pass over its JSON without building a document. A field
    /// repeated in the object counts with its last value, as a document lookup would.
    /// </summary>
    private sealed record EventFields(ReadOnlyMemory<byte> Json)
    {
        public string? Type { get; private set; }
        public string? Task { get; private set; }
        public string? Metric { get; private set; }
        public string? Variant { get; private set; }
        public bool ModelEvent { get; private set; }
        public bool AllowLocked { get; private set; }
        public long? Iteration { get; private set; }
        public bool IterationInvalid { get; private set; }
        public double? Value { get; private set; }

        /// <summary>ClearML's time in ms since the epoch: <c>timestamp</c>, or <c>ts</c> when that is absent or null; null when not a number.</summary>
        public double? Milliseconds => _timestamp is { IsNull: false } stamp ? stamp.Number : _ts?.Number;

        private (bool IsNull, double? Number)? _timestamp;
        private (bool IsNull, double? Number)? _ts;

        public static EventFields Read(ReadOnlyMemory<byte> json, Utf8Strings strings)
        {
            var fields = new EventFields(json);
            var reader = new Utf8JsonReader(json.Span);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader);
                reader.Read();
                fields.Take(field, ref reader, strings);
                reader.Skip();
            }
            return fields;
        }

        private enum Field { Other, Type, Task, Metric, Variant, Value, Iter, Timestamp, Ts, ModelEvent, AllowLocked }

        private static readonly (byte[] Name, Field Field)[] Names =
        [
            ("type"u8.ToArray(), Field.Type), ("task"u8.ToArray(), Field.Task), ("metric"u8.ToArray(), Field.Metric),
            ("variant"u8.ToArray(), Field.Variant), ("value"u8.ToArray(), Field.Value), ("iter"u8.ToArray(), Field.Iter),
            ("timestamp"u8.ToArray(), Field.Timestamp), ("ts"u8.ToArray(), Field.Ts), ("model_event"u8.ToArray(), Field.ModelEvent),
            ("allow_locked"u8.ToArray(), Field.AllowLocked),
        ];

        private static Field FieldOf(ref Utf8JsonReader name)
        {
            foreach (var (text, field) in Names)
            {
                if (name.ValueTextEquals(text))
                {
                    return field;
                }
            }
            return Field.Other;
        }

        private void Take(Field field, ref Utf8JsonReader value, Utf8Strings strings)
        {
            switch (field)
            {
                case Field.Type:
                    Type = strings.Text(ref value);
                    break;
                case Field.Task:
                    Task = strings.Text(ref value);
                    break;
                case Field.Metric:
                    Metric = strings.Text(ref value);
                    break;
                case Field.Variant:
                    Variant = strings.Text(ref value);
                    break;
                case Field.Value:
                    Value = Number(ref value);
                    break;
                case Field.Iter:
                    ReadIteration(ref value);
                    break;
                case Field.Timestamp:
                    _timestamp = (value.TokenType == JsonTokenType.Null, Number(ref value));
                    break;
                case Field.Ts:
                    _ts = (value.TokenType == JsonTokenType.Null, Number(ref value));
                    break;
                case Field.ModelEvent:
                    ModelEvent = value.TokenType == JsonTokenType.True;
                    break;
                case Field.AllowLocked:
                    AllowLocked = value.TokenType == JsonTokenType.True;
                    break;
            }
        }

        private void ReadIteration(ref Utf8JsonReader value)
        {
            Iteration = null;
            IterationInvalid = false;
            if (value.TokenType == JsonTokenType.Null)
            {
                return;
            }
            if (value.TokenType == JsonTokenType.Number
                && (value.TryGetInt64(out var iteration) || (value.TryGetDouble(out var d) && TryLong(d, out iteration))))
            {
                Iteration = iteration;
            }
            else
            {
                IterationInvalid = true;
            }
        }

        private static double? Number(ref Utf8JsonReader value) =>
            value.TokenType == JsonTokenType.Number && value.TryGetDouble(out var number) ? number : null;
    }

    private static bool TryLong(double value, out long result)
    {
        var inRange = value is >= long.MinValue and <= long.MaxValue && value == Math.Floor(value);
        result = inRange ? (long)value : 0;
        return inRange;
    }
}

/// <summary>
/// The strings of one batch read once: the task, metric and variant repeated on every line become one string each,
/// so a batch of 10,000 events does not allocate 30,000 copies of a few names.
/// </summary>
internal sealed class Utf8Strings
{
    private const int Kept = 64;
    private readonly List<(byte[] Utf8, string Text)> _seen = [];

    /// <summary>The value if it is a JSON string, else null.</summary>
    public string? Text(ref Utf8JsonReader value)
    {
        if (value.TokenType != JsonTokenType.String)
        {
            return null;
        }
        if (value.ValueIsEscaped || value.HasValueSequence)
        {
            return value.GetString();
        }
        var utf8 = value.ValueSpan;
        foreach (var (known, text) in _seen)
        {
            if (utf8.SequenceEqual(known))
            {
                return text;
            }
        }
        var read = value.GetString()!;
        if (_seen.Count < Kept)
        {
            _seen.Add((utf8.ToArray(), read));
        }
        return read;
    }
}
