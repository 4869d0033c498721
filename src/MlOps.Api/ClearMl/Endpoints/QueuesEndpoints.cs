using System.Text.Json.Nodes;
using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>queues.*</c>: the queues agents pull experiments from.</summary>
public static class QueuesEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("queues.create", Create);
        api.MapAction("queues.get_by_id", GetById);
        api.MapAction("queues.get_all", GetAll);
        api.MapAction("queues.get_all_ex", GetAllEx);
        api.MapAction("queues.get_default", GetDefault);
        api.MapAction("queues.update", Update);
        api.MapAction("queues.delete", Delete);
        api.MapAction("queues.add_task", AddTask);
        api.MapAction("queues.remove_task", RemoveTask);
        api.MapAction("queues.clear_queue", ClearQueue);
        api.MapAction("queues.get_next_task", GetNextTask);
        api.MapAction("queues.peek_task", PeekTask);
        api.MapAction("queues.get_num_entries", GetNumEntries);
        api.MapAction("queues.move_task_forward", (ClearMlCall c, QueueRepository q, CancellationToken ct) => MoveTask(c, q, -1, ct));
        api.MapAction("queues.move_task_backward", (ClearMlCall c, QueueRepository q, CancellationToken ct) => MoveTask(c, q, 1, ct));
        api.MapAction("queues.move_task_to_front", (ClearMlCall c, QueueRepository q, CancellationToken ct) => MoveTask(c, q, int.MinValue / 2, ct));
        api.MapAction("queues.move_task_to_back", (ClearMlCall c, QueueRepository q, CancellationToken ct) => MoveTask(c, q, int.MaxValue / 2, ct));
        api.MapAction("queues.get_queue_metrics", GetQueueMetrics);
        api.MapAction("queues.add_or_update_metadata", AddOrUpdateMetadata);
        api.MapAction("queues.delete_metadata", DeleteMetadata);
    }

    public sealed record Entry(string Task, DateTime Added);

    public sealed record QueueDocument(
        string Id, string Name, string DisplayName, string? User, string Company, DateTime Created, DateTime LastUpdate,
        IReadOnlyList<string> Tags, IReadOnlyList<string> SystemTags, List<Entry> Entries, JsonObject Metadata)
    {
        public static QueueDocument From(QueueContents contents) => new(
            contents.Queue.Id.ToString("N"),
            contents.Queue.Name,
            contents.Queue.Name,
            contents.Queue.UserId?.ToString("N"),
            contents.Queue.WorkspaceId.ToString("N"),
            contents.Queue.CreatedAt,
            contents.Queue.LastUpdate,
            [.. contents.Queue.Tags.Order(StringComparer.Ordinal)],
            [.. contents.Queue.SystemTags.Order(StringComparer.Ordinal)],
            [.. contents.Entries.Select(e => new Entry(e.ExperimentId.ToString("N"), e.AddedAt))],
            JsonSerializer.SerializeToNode(MetadataDocument.Read(contents.Queue.Metadata), ClearMlJson.Options)!.AsObject());
    }

    public sealed record CreateRequest(string? Name, List<string>? Tags, List<string>? SystemTags, List<MetadataEntry>? Metadata);

    public sealed record QueueRequest
    {
        public string? Queue { get; init; }
        public string? Task { get; init; }
        public string? Name { get; init; }
        public List<string>? Tags { get; init; }
        public List<string>? SystemTags { get; init; }
        public bool Force { get; init; }
        public int? Count { get; init; }
        public List<MetadataEntry>? Metadata { get; init; }
        public bool ReplaceMetadata { get; init; }
        public List<string>? Keys { get; init; }
    }

    public sealed record IdResponse(string Id);

    public sealed record QueueResponse(QueueDocument Queue);

    public sealed record QueuesResponse(List<JsonObject> Queues);

    public sealed record DefaultResponse(string Id, string Name);

    public sealed record UpdateResponse(int Updated, JsonObject Fields);

    public sealed record DeletedResponse(bool Deleted);

    public sealed record AddedResponse(int Added);

    public sealed record RemovedResponse(int Removed);

    public sealed record ClearedResponse(List<string> RemovedTasks);

    public sealed record NextTaskResponse(Entry? Entry);

    public sealed record PeekResponse(string? Task);

    public sealed record CountResponse(int Num);

    public sealed record PositionResponse(int Position);

    public sealed record MetricsRequest(double? FromDate, double? ToDate, int? Interval, List<string>? QueueIds, bool Refresh);

    public sealed record QueueMetrics(string Queue, List<long> Dates, List<double> AvgWaitingTimes, List<int> QueueLengths);

    public sealed record MetricsResponse(List<QueueMetrics> Queues);

    public sealed record UpdatedResponse(int Updated);

    public static async Task<IdResponse> Create(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<CreateRequest>();
        var queue = await queues.CreateAsync(
            request.Name ?? throw ClearMlException.MissingField("name"),
            new QueueChanges(null, request.Tags, request.SystemTags, MetadataEntry.ToItems(request.Metadata)),
            call.Http.Caller().Identity.UserId, ct);
        return new IdResponse(queue.Id.ToString("N"));
    }

    public static async Task<QueueResponse> GetById(ClearMlCall call, QueueRepository queues, CancellationToken ct) =>
        new(QueueDocument.From(await queues.GetAsync(QueueId(call.Read<QueueRequest>().Queue), ct)));

    public static Task<QueuesResponse> GetAll(ClearMlCall call, QueueRepository queues, CancellationToken ct) => QueryAsync(call, queues, null, ct);

    /// <summary>As get_all, with each entry's task as <c>{id, name}</c> (the queues page shows the next task's name).</summary>
    public static Task<QueuesResponse> GetAllEx(ClearMlCall call, QueueRepository queues, ClearMlReferences references, CancellationToken ct) =>
        QueryAsync(call, queues, references, ct);

    private static async Task<QueuesResponse> QueryAsync(ClearMlCall call, QueueRepository queues, ClearMlReferences? references, CancellationToken ct)
    {
        var request = call.Read<ListRequest>();
        var found = await queues.QueryAsync(new QueueQuery(
            request.Ids(), request.Name, request.TagFilter(), request.SystemTagFilter(), request.Ordering(), request.Window()), ct);
        var documents = found.Select(q => ClearMlQuery.Document(QueueDocument.From(q))).ToList();
        if (references is not null)
        {
            await references.ExpandQueuesAsync(documents, ct);
        }
        return new QueuesResponse([.. documents.Select(d => ClearMlQuery.Project(d, request.OnlyFields))]);
    }

    public static async Task<DefaultResponse> GetDefault(QueueRepository queues, CancellationToken ct)
    {
        var queue = await queues.GetDefaultAsync(ct);
        return new DefaultResponse(queue.Id.ToString("N"), queue.Name);
    }

    public static async Task<UpdateResponse> Update(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<QueueRequest>();
        await queues.UpdateAsync(QueueId(request.Queue), new QueueChanges(request.Name, request.Tags, request.SystemTags, MetadataEntry.ToItems(request.Metadata)), ct);
        var fields = call.FieldsExcept("queue");
        return new UpdateResponse(fields.Count > 0 ? 1 : 0, fields);
    }

    public static async Task<DeletedResponse> Delete(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<QueueRequest>();
        await queues.DeleteAsync(QueueId(request.Queue), request.Force, call.Http.Caller().Identity.UserId, ct);
        return new DeletedResponse(true);
    }

    public static async Task<AddedResponse> AddTask(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<QueueRequest>();
        await queues.AddAsync(QueueId(request.Queue), TasksEndpoints.TaskId(request.Task), ct);
        return new AddedResponse(1);
    }

    public static async Task<RemovedResponse> RemoveTask(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<QueueRequest>();
        var removed = await queues.RemoveAsync(QueueId(request.Queue), TasksEndpoints.TaskId(request.Task), ct);
        return removed ? new RemovedResponse(1) : throw new ClearMlException(400, 703, "Invalid queue id or task not in queue");
    }

    public static async Task<ClearedResponse> ClearQueue(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var id = QueueId(call.Read<QueueRequest>().Queue);
        await queues.GetAsync(id, ct);
        return new ClearedResponse([.. (await queues.ClearAsync(id, ct)).Select(t => t.ToString("N"))]);
    }

    /// <summary>Hands the head of the queue to exactly one caller; an empty queue answers with no entry.</summary>
    public static async Task<NextTaskResponse> GetNextTask(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var entry = await queues.TakeNextAsync(QueueId(call.Read<QueueRequest>().Queue), ct);
        return new NextTaskResponse(entry is null ? null : new Entry(entry.ExperimentId.ToString("N"), entry.AddedAt));
    }

    public static async Task<PeekResponse> PeekTask(ClearMlCall call, QueueRepository queues, CancellationToken ct) =>
        new((await queues.PeekAsync(QueueId(call.Read<QueueRequest>().Queue), ct))?.ExperimentId.ToString("N"));

    public static async Task<CountResponse> GetNumEntries(ClearMlCall call, QueueRepository queues, CancellationToken ct) =>
        new((await queues.GetAsync(QueueId(call.Read<QueueRequest>().Queue), ct)).Entries.Count);

    public static async Task<PositionResponse> MoveTask(ClearMlCall call, QueueRepository queues, int direction, CancellationToken ct)
    {
        var request = call.Read<QueueRequest>();
        var steps = Math.Abs(direction) == 1 ? direction * Math.Max(1, request.Count ?? 1) : direction;
        return new PositionResponse(await queues.MoveAsync(QueueId(request.Queue), TasksEndpoints.TaskId(request.Task), steps, ct));
    }

    /// <summary>Waiting times and queue lengths over time are not recorded, so there are no samples to return.</summary>
    /// <summary>
    /// The queues' length and average wait over time, per interval that holds samples (the longest wait of the interval):
    /// per requested queue, or for all queues as one (<c>total</c>: lengths summed, waits weighted by length). With
    /// <c>refresh</c> the queues are sampled first. Dates are milliseconds since the epoch, as the web UI reads them.
    /// </summary>
    public static async Task<MetricsResponse> GetQueueMetrics(ClearMlCall call, QueueMetricsRepository metrics, CancellationToken ct)
    {
        var request = call.Read<MetricsRequest>();
        var (from, to, interval) = StatisticsRange.Read(request.FromDate, request.ToDate, request.Interval, 1);
        var queues = request.QueueIds is { Count: > 0 } ids ? ids.Select(QueueId).ToList() : null;
        if (request.Refresh)
        {
            await metrics.RecordAsync(queues, ct);
        }
        var perQueue = await metrics.PerQueueAsync(queues, from, to, interval * 1000L, ct);
        static QueueMetrics Series(string name, List<QueuePoint> points) =>
            new(name, [.. points.Select(p => p.Date)], [.. points.Select(p => p.AverageWaitSeconds)], [.. points.Select(p => p.Length)]);
        if (queues is not null)
        {
            return new MetricsResponse([.. perQueue.Select(q => Series(q.Key.ToString("N"), q.Value))]);
        }
        var combined = QueueMetricsRepository.Combine(perQueue);
        return new MetricsResponse(combined.Count == 0 ? [] : [Series("total", combined)]);
    }

    public static async Task<UpdatedResponse> AddOrUpdateMetadata(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<QueueRequest>();
        var items = MetadataEntry.ToItems(request.Metadata) ?? throw ClearMlException.MissingField("metadata");
        await queues.AddOrUpdateMetadataAsync(QueueId(request.Queue), items, request.ReplaceMetadata, ct);
        return new UpdatedResponse(1);
    }

    public static async Task<UpdatedResponse> DeleteMetadata(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<QueueRequest>();
        await queues.DeleteMetadataAsync(QueueId(request.Queue), request.Keys ?? throw ClearMlException.MissingField("keys"), ct);
        return new UpdatedResponse(1);
    }

    public static Guid QueueId(string? id) =>
        id is null ? throw ClearMlException.MissingField("queue") : ClearMlErrors.ParseId(id, EntityKind.Queue);
}
