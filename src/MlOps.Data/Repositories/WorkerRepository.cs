using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>What a worker says about itself when it registers or reports.</summary>
public sealed record WorkerReport(string Name, IReadOnlyList<Guid>? QueueIds, IReadOnlyList<string>? Tags, Guid? ExperimentId, int? TimeoutSeconds);

/// <summary>
/// Agents register, report and unregister; each report extends their lease. Workers past their lease
/// are not listed, so a crashed agent disappears without anyone unregistering it.
/// </summary>
public sealed class WorkerRepository(MlOpsDbContext db, TimeProvider clock)
{
    public const int DefaultTimeoutSeconds = 600;

    public async Task ReportAsync(WorkerReport report, Guid? userId, CancellationToken ct)
    {
        var name = report.Name.Trim() is { Length: > 0 } trimmed
            ? trimmed
            : throw new DomainException(DomainError.InvalidInput, EntityKind.Worker, "worker id must not be empty");
        await RequireReferencesAsync(report, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var worker = await db.Workers.SingleOrDefaultAsync(w => w.Name == name, ct);
        if (worker is null || worker.ExpiresAt < now)
        {
            if (worker is not null)
            {
                db.Workers.Remove(worker);
                await db.SaveChangesAsync(ct);
            }
            worker = new Worker { Name = name, RegisteredAt = now, TimeoutSeconds = DefaultTimeoutSeconds };
            db.Workers.Add(worker);
        }
        worker.UserId = userId;
        worker.QueueIds = report.QueueIds is null ? worker.QueueIds : [.. report.QueueIds];
        worker.Tags = report.Tags is null ? worker.Tags : [.. report.Tags];
        worker.ExperimentId = report.ExperimentId;
        worker.TimeoutSeconds = report.TimeoutSeconds is { } timeout and > 0 ? timeout : worker.TimeoutSeconds;
        worker.LastActivityAt = now;
        worker.ExpiresAt = now.AddSeconds(worker.TimeoutSeconds);
        await db.SaveChangesAsync(ct);
        if (report.ExperimentId is { } experiment)
        {
            await db.Experiments.Where(e => e.Id == experiment).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.LastWorker, name)
                .SetProperty(e => e.LastWorkerReportAt, now), ct);
        }
    }

    /// <summary>The queues a worker listens on and the task it runs must be the workspace's own.</summary>
    private async Task RequireReferencesAsync(WorkerReport report, CancellationToken ct)
    {
        await db.Queues.RequireAllAsync(report.QueueIds ?? [], EntityKind.Queue, ct);
        await db.Experiments.RequireAsync(report.ExperimentId, EntityKind.Experiment, ct);
    }

    /// <summary>Forgets the worker; one already gone (unregistered or expired) is not an error, as in ClearML.</summary>
    public Task UnregisterAsync(string name, CancellationToken ct) =>
        db.Workers.Where(w => w.Name == name).ExecuteDeleteAsync(ct);

    /// <summary>
    /// The live workers, optionally only those active within the last <paramref name="seenWithinSeconds"/> (0 or less
    /// means no such limit, as clearml-agent's <c>list</c> sends it).
    /// </summary>
    public Task<List<Worker>> LiveAsync(int? seenWithinSeconds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = db.Workers.AsNoTracking().Where(w => w.ExpiresAt >= now);
        if (seenWithinSeconds is { } seconds and > 0)
        {
            var since = now.AddSeconds(-seconds);
            rows = rows.Where(w => w.LastActivityAt >= since);
        }
        return rows.OrderBy(w => w.Name).ToListAsync(ct);
    }
}
