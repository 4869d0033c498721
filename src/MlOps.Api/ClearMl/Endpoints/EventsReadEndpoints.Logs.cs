using System.Globalization;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

// Console output (pages and the whole log as a file) and deleting a task's events.
public static partial class EventsReadEndpoints
{
    public sealed record LogRequest(string? Task, int? BatchSize, bool? NavigateEarlier, double? FromTimestamp, string? Order);

    public sealed record DeleteRequest(string? Task, bool AllowLocked, long? ThresholdSec);

    public sealed record DeleteResponse(bool Deleted);

    public sealed record ClearLogResponse(int Deleted);

    /// <summary>
    /// Console output: <c>batch_size</c> lines before (navigate_earlier, the default) or after <c>from_timestamp</c>,
    /// or the latest/earliest ones without it, returned in the requested order.
    /// </summary>
    public static async Task<EventsResponse> TaskLog(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<LogRequest>();
        var task = (await RequireTasksAsync(tasks, [request.Task], ct)).Keys.Single();
        var earlier = request.NavigateEarlier ?? true;
        var from = request.FromTimestamp is { } ms ? FromMilliseconds(ms) : (DateTime?)null;
        var lines = await reader.LogPageAsync(task, from, earlier, BatchSize(request.BatchSize, 5_000, 10_000), ct);
        if (Descending(request.Order, earlier) != earlier)
        {
            lines.Reverse();
        }
        return new EventsResponse(lines.Select(Payload).ToList(), lines.Count, await reader.CountEventsAsync(task, EventKind.Log, null, ct), null);
    }

    public sealed record DownloadLogRequest(string? Task, string? LineType, string? LineFormat);

    /// <summary>
    /// The whole console log as an attachment (the web UI navigates to it): a JSON object per line, or with
    /// <c>line_type=text</c> one line of <c>line_format</c> (placeholders <c>{asctime}</c>, <c>{worker}</c>, <c>{level}</c>, <c>{msg}</c>).
    /// </summary>
    public static async Task<IResult> DownloadTaskLog(ClearMlCall call, ExperimentRepository tasks, MetricsReader reader, CancellationToken ct)
    {
        var request = call.Read<DownloadLogRequest>();
        var task = await RequireTaskAsync(tasks, request.Task, ct);
        var text = request.LineType switch
        {
            null or "json" => false,
            "text" => true,
            _ => throw ClearMlException.Validation("line_type must be json or text"),
        };
        var format = request.LineFormat ?? "{asctime} {worker} {level} {msg}";
        var log = new System.Text.StringBuilder();
        DateTime? after = null;
        while (await reader.LogPageAsync(task, after, false, 10_000, ct) is { Count: > 0 } page)
        {
            foreach (var line in page)
            {
                var payload = Payload(line);
                log.Append(text
                    ? format.Replace("{asctime}", line.Timestamp.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture))
                        .Replace("{worker}", payload["worker"]?.ToString()).Replace("{level}", payload["level"]?.ToString())
                        .Replace("{msg}", payload["msg"]?.ToString())
                    : line.Payload).Append('\n');
            }
            after = page[^1].Timestamp;
        }
        return Results.File(System.Text.Encoding.UTF8.GetBytes(log.ToString()), "text/plain; charset=utf-8", $"task_{task:N}.log");
    }

    /// <summary>Deletes every reported event and metric point of the task; a published task only with allow_locked.</summary>
    public static async Task<DeleteResponse> DeleteForTask(ClearMlCall call, ExperimentRepository tasks, MetricsStore store, CancellationToken ct)
    {
        var request = call.Read<DeleteRequest>();
        var task = await RequireWritableAsync(tasks, request, ct);
        return new DeleteResponse(await store.DeleteAllAsync(task, ct) > 0);
    }

    /// <summary>Deletes the task's console output, or only lines older than <c>threshold_sec</c>.</summary>
    public static async Task<ClearLogResponse> ClearTaskLog(ClearMlCall call, ExperimentRepository tasks, MetricsStore store, TimeProvider clock, CancellationToken ct)
    {
        var request = call.Read<DeleteRequest>();
        var task = await RequireWritableAsync(tasks, request, ct);
        var before = request.ThresholdSec is { } seconds and > 0 ? clock.GetUtcNow().UtcDateTime.AddSeconds(-seconds) : (DateTime?)null;
        return new ClearLogResponse(await store.DeleteLogAsync(task, before, ct));
    }

    private static async Task<Guid> RequireWritableAsync(ExperimentRepository tasks, DeleteRequest request, CancellationToken ct)
    {
        var experiment = (await RequireTasksAsync(tasks, [request.Task], ct)).Values.Single();
        if (!request.AllowLocked && experiment.Status is ExperimentStatus.Published or ExperimentStatus.Publishing)
        {
            throw new ClearMlException(400, 101, "Invalid task id: cannot update events for a published task");
        }
        return experiment.Id;
    }

    private static DateTime FromMilliseconds(double ms) =>
        ms is >= 0 and < 253402300799999 ? DateTime.UnixEpoch.AddMilliseconds(ms) : throw ClearMlException.Validation("from_timestamp out of range");
}
