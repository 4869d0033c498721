using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>workers.*</c>: agents announce themselves, report what they run (and their machine's figures, kept for the
/// Workers charts), and are listed while alive.
/// </summary>
public static partial class WorkersEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("workers.register", Register);
        api.MapAction("workers.status_report", StatusReport);
        api.MapAction("workers.unregister", Unregister);
        api.MapAction("workers.get_all", GetAll);
        api.MapAction("workers.get_count", GetCount);
        api.MapAction("workers.get_metric_keys", GetMetricKeys);
        api.MapAction("workers.get_stats", GetStats);
        api.MapAction("workers.get_activity_report", GetActivityReport);
    }

    public sealed record WorkerRequest
    {
        public string? Worker { get; init; }
        public int? Timeout { get; init; }
        public List<string>? Queues { get; init; }
        public string? Queue { get; init; }
        public string? Task { get; init; }
        public List<string>? Tags { get; init; }
        public int? LastSeen { get; init; }
        public System.Text.Json.Nodes.JsonObject? MachineStats { get; init; }
    }

    public sealed record IdName(string Id, string? Name);

    public sealed record WorkerDocument(
        string Id, IdName? User, IdName Company, DateTime RegisterTime, DateTime LastActivityTime, DateTime LastReportTime,
        IdName? Task, List<IdName> Queues, IReadOnlyList<string> Tags);

    public sealed record WorkersResponse(List<WorkerDocument> Workers);

    public sealed record CountResponse(int Count);

    public static async Task<object> Register(ClearMlCall call, WorkerRepository workers, CancellationToken ct)
    {
        await ReportAsync(call, workers, ct);
        return new { };
    }

    /// <summary>
    /// Also keeps the machine's figures: one reading per device (per CPU core, per GPU) or machine-wide (<c>total</c>); like
    /// ClearML, a figure reported as 0 or as an empty list is not kept.
    /// </summary>
    public static async Task<object> StatusReport(ClearMlCall call, WorkerRepository workers, WorkerStatsRepository stats, CancellationToken ct)
    {
        var request = call.Read<WorkerRequest>();
        var readings = MachineStats.Read(request.MachineStats)
            .Where(r => r.PerDevice || r.Values[0] != 0)
            .SelectMany(r => r.Values.Select((value, device) => new WorkerReading(r.Metric, r.PerDevice ? device.ToString(System.Globalization.CultureInfo.InvariantCulture) : "total", value)))
            .ToList();
        await ReportAsync(call, workers, ct);
        await stats.RecordAsync(request.Worker!.Trim(), request.Task is null ? null : TasksEndpoints.TaskId(request.Task), readings, ct);
        return new { };
    }

    public static async Task<object> Unregister(ClearMlCall call, WorkerRepository workers, CancellationToken ct)
    {
        await workers.UnregisterAsync(call.Read<WorkerRequest>().Worker ?? throw ClearMlException.MissingField("worker"), ct);
        return new { };
    }

    public static async Task<WorkersResponse> GetAll(ClearMlCall call, WorkerRepository workers, CancellationToken ct)
    {
        var identity = call.Http.Caller().Identity;
        var live = await workers.LiveAsync(call.Read<WorkerRequest>().LastSeen, ct);
        return new WorkersResponse([.. live.Select(w => new WorkerDocument(
            w.Name,
            w.UserId is { } user ? new IdName(user.ToString("N"), null) : null,
            new IdName(identity.WorkspaceId.ToString("N"), identity.WorkspaceName),
            w.RegisteredAt,
            w.LastActivityAt,
            w.LastActivityAt,
            w.ExperimentId is { } task ? new IdName(task.ToString("N"), null) : null,
            [.. w.QueueIds.Select(q => new IdName(q.ToString("N"), null))],
            w.Tags))]);
    }

    public static async Task<CountResponse> GetCount(ClearMlCall call, WorkerRepository workers, CancellationToken ct) =>
        new((await workers.LiveAsync(call.Read<WorkerRequest>().LastSeen, ct)).Count);

    /// <summary>A report names the queues the worker listens on and the task it runs (if any); both must exist.</summary>
    private static async Task ReportAsync(ClearMlCall call, WorkerRepository workers, CancellationToken ct)
    {
        var request = call.Read<WorkerRequest>();
        var queues = request.Queues ?? (request.Queue is null ? null : [request.Queue]);
        await workers.ReportAsync(new WorkerReport(
            request.Worker ?? throw ClearMlException.MissingField("worker"),
            queues?.Select(q => ClearMlErrors.ParseId(q, EntityKind.Queue)).ToList(),
            request.Tags,
            request.Task is null ? null : TasksEndpoints.TaskId(request.Task),
            request.Timeout), call.Http.Caller().Identity.UserId, ct);
    }
}
