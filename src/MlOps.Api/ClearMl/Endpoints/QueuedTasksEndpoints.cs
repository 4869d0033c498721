using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML task calls that involve queues and workers: enqueue, dequeue, stop.</summary>
public static class QueuedTasksEndpoints
{
    /// <summary>How long after its worker's last report a task still counts as run by that worker.</summary>
    private static readonly TimeSpan WorkerReportTimeout = TimeSpan.FromSeconds(WorkerRepository.DefaultTimeoutSeconds);

    private const string StoppingMessage = "stopping";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("tasks.enqueue", Enqueue);
        api.MapAction("tasks.dequeue", Dequeue);
        api.MapAction("tasks.stop", Stop);
        api.MapAction("tasks.enqueue_many", EnqueueMany);
        api.MapAction("tasks.dequeue_many", DequeueMany);
        api.MapAction("tasks.stop_many", StopMany);
    }

    public sealed record EnqueueRequest(string? Task, string? Queue, string? QueueName, string? StatusReason, string? StatusMessage);

    public sealed record ManyRequest(
        List<string>? Ids, string? Queue, string? QueueName, bool Force, string? StatusReason, string? StatusMessage, string? NewStatus);

    public sealed record DequeueRequest(string? Task, string? StatusReason, string? StatusMessage, string? NewStatus);

    public sealed record EnqueueResponse(int Queued, int Updated, System.Text.Json.Nodes.JsonObject Fields);

    public sealed record DequeueResponse(int Dequeued, int Updated, System.Text.Json.Nodes.JsonObject? Fields);

    public sealed record StopResponse(int Updated, System.Text.Json.Nodes.JsonObject Fields);

    public static async Task<EnqueueResponse> Enqueue(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<EnqueueRequest>();
        return await EnqueueAsync(call, queues, TasksEndpoints.TaskId(request.Task), request.Queue, request.QueueName, request.StatusReason, request.StatusMessage, ct);
    }

    public static Task<ClearMlBatch.ManyResponse> EnqueueMany(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<ManyRequest>();
        return ClearMlBatch.RunAsync(request.Ids, async (id, succeeded) =>
        {
            var result = await EnqueueAsync(call, queues, TasksEndpoints.TaskId(id), request.Queue, request.QueueName, request.StatusReason, request.StatusMessage, ct);
            succeeded["queued"] = true;
            succeeded["fields"] = result.Fields;
        });
    }

    public static async Task<DequeueResponse> Dequeue(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<DequeueRequest>();
        var change = await DequeueAsync(call, queues, TasksEndpoints.TaskId(request.Task), request.NewStatus, request.StatusReason, request.StatusMessage, ct);
        return new DequeueResponse(1, change is null ? 0 : 1, change);
    }

    public static Task<ClearMlBatch.ManyResponse> DequeueMany(ClearMlCall call, QueueRepository queues, CancellationToken ct)
    {
        var request = call.Read<ManyRequest>();
        return ClearMlBatch.RunAsync(request.Ids, async (id, succeeded) =>
        {
            var fields = await DequeueAsync(call, queues, TasksEndpoints.TaskId(id), request.NewStatus, request.StatusReason, request.StatusMessage, ct);
            succeeded["dequeued"] = true;
            succeeded["updated"] = fields is null ? 0 : 1;
            if (fields is not null)
            {
                succeeded["fields"] = fields;
            }
        });
    }

    /// <summary>Out of its queue; a queued or running task gets the new status (created unless named), others keep theirs (null).</summary>
    private static async Task<System.Text.Json.Nodes.JsonObject?> DequeueAsync(
        ClearMlCall call, QueueRepository queues, Guid task, string? newStatus, string? reason, string? message, CancellationToken ct)
    {
        var status = newStatus is { Length: > 0 } ? TaskStatusNames.FromWire(newStatus) : (ExperimentStatus?)null;
        var change = await queues.DequeueAsync(task, status, reason, message, call.Http.Caller().Identity.UserId, ct);
        return change is null ? null : TasksEndpoints.StatusFields(change, reason ?? "", message ?? "");
    }

    public static async Task<StopResponse> Stop(ClearMlCall call, ExperimentRepository tasks, QueueRepository queues, TimeProvider clock, CancellationToken ct)
    {
        var request = call.Read<TasksEndpoints.StatusRequest>();
        return await StopAsync(call, tasks, queues, clock, TasksEndpoints.TaskId(request.Task), request.Force, request.StatusReason, ct);
    }

    public static Task<ClearMlBatch.ManyResponse> StopMany(ClearMlCall call, ExperimentRepository tasks, QueueRepository queues, TimeProvider clock, CancellationToken ct)
    {
        var request = call.Read<ManyRequest>();
        return ClearMlBatch.RunAsync(request.Ids, async (id, succeeded) =>
        {
            var result = await StopAsync(call, tasks, queues, clock, TasksEndpoints.TaskId(id), request.Force, request.StatusReason, ct);
            succeeded["updated"] = result.Updated;
            succeeded["fields"] = result.Fields;
        });
    }

    /// <summary>Into the named queue (by id or name), or the default queue when none is named.</summary>
    private static async Task<EnqueueResponse> EnqueueAsync(
        ClearMlCall call, QueueRepository queues, Guid task, string? queue, string? queueName, string? reason, string? message, CancellationToken ct)
    {
        var queueId = queue is { Length: > 0 }
            ? QueuesEndpoints.QueueId(queue)
            : queueName is { Length: > 0 }
                ? (await queues.FindByNameAsync(queueName, ct))?.Id ?? throw ClearMlErrors.From(DomainException.NotFound(EntityKind.Queue, queueName))
                : (await queues.GetDefaultAsync(ct)).Id;
        var change = await queues.EnqueueAsync(queueId, task, reason, message, call.Http.Caller().Identity.UserId, ct);
        var fields = TasksEndpoints.StatusFields(change, reason, message);
        fields["execution.queue"] = queueId.ToString("N");
        return new EnqueueResponse(1, 1, fields);
    }

    /// <summary>
    /// A task a live worker is running (and not a development run) is asked to stop: its status message
    /// becomes "stopping" and the worker stops it. Anything else is stopped at once (leaving its queue).
    /// </summary>
    private static async Task<StopResponse> StopAsync(
        ClearMlCall call, ExperimentRepository tasks, QueueRepository queues, TimeProvider clock, Guid id, bool force, string? reason, CancellationToken ct)
    {
        var task = await tasks.GetAsync(id, ct);
        var userId = call.Http.Caller().Identity.UserId;
        var runByWorker = task.Status == ExperimentStatus.InProgress
            && !task.SystemTags.Contains(QueueRepository.DevelopmentTag)
            && task.LastWorkerReportAt is { } reported && clock.GetUtcNow().UtcDateTime - reported < WorkerReportTimeout;
        if (runByWorker && !force)
        {
            await tasks.UpdateAsync(id, new ExperimentChanges { StatusReason = reason ?? "", StatusMessage = StoppingMessage }, userId, ct);
            return new StopResponse(1, new() { ["status_reason"] = reason ?? "", ["status_message"] = StoppingMessage });
        }
        var wasQueued = task.Status == ExperimentStatus.Queued;
        if (wasQueued)
        {
            await queues.DequeueAsync(id, null, null, null, userId, ct);
        }
        // A task taken out of its queue is stopped from there, as ClearML does, though "created" could not otherwise stop.
        var change = await tasks.ChangeStatusAsync(id, ExperimentStatus.Stopped, force || wasQueued, reason, "", userId, ct);
        return new StopResponse(1, TasksEndpoints.StatusFields(change, reason, ""));
    }
}
