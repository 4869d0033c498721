using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>A status change as applied: the status, reason and timestamps now on the row.</summary>
public sealed record StatusChange(
    ExperimentStatus Status, string Reason, DateTime ChangedAt, DateTime? StartedAt, DateTime? CompletedAt, DateTime? PublishedAt);

// The run: status changes through the state machine, reset, run times and activity, deletion.
public sealed partial class ExperimentRepository
{
    private const string ResetReason = "reset";

    /// <summary>Sets when the run started and ended, as a client that recorded them reports (either may be left as is).</summary>
    public async Task SetRunTimesAsync(Guid id, DateTime? started, DateTime? completed, CancellationToken ct)
    {
        var experiment = await db.Experiments.SingleOrDefaultAsync(e => e.Id == id, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        experiment.StartedAt = started ?? experiment.StartedAt;
        experiment.CompletedAt = completed ?? experiment.CompletedAt;
        experiment.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Raises the last iteration to <paramref name="iteration"/> if it is lower.</summary>
    public Task<int> RaiseLastIterationAsync(Guid id, long iteration, CancellationToken ct) =>
        db.Experiments.Where(e => e.Id == id && e.LastIteration < iteration)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LastIteration, iteration), ct);

    /// <summary>Records that the run is alive (ClearML's ping): its last update moves to now.</summary>
    public async Task RecordActivityAsync(Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.LastUpdate, now), ct) == 0)
        {
            throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        }
    }

    /// <summary>
    /// Moves the experiment to <paramref name="target"/> if the state machine allows it (or
    /// <paramref name="force"/>). The write is conditional on the status read, so two concurrent
    /// changes cannot both succeed from the same status.
    /// </summary>
    public async Task<StatusChange> ChangeStatusAsync(
        Guid id, ExperimentStatus target, bool force, string? reason, string? message, Guid? userId, CancellationToken ct)
    {
        var current = await db.Experiments.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new { e.Status, e.StartedAt, e.CompletedAt, e.PublishedAt })
            .SingleOrDefaultAsync(ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        if (!ExperimentLifecycle.CanMove(current.Status, target, force))
        {
            throw DomainException.Broken(DomainError.InvalidTransition, EntityKind.Experiment,
                new RuleViolation(id.ToString("N"), Wire(current.Status), Wire(target), CanForce: true),
                $"the experiment cannot go from {Wire(current.Status)} to {Wire(target)}");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var started = target == ExperimentStatus.InProgress && current.StartedAt is null ? now : current.StartedAt;
        var completed = target is ExperimentStatus.Completed or ExperimentStatus.Stopped ? now : current.CompletedAt;
        var published = target == ExperimentStatus.Published ? now : current.PublishedAt;
        var updated = await db.Experiments.Where(e => e.Id == id && e.Status == current.Status).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Status, target)
            .SetProperty(e => e.StatusReason, reason ?? "")
            .SetProperty(e => e.StatusMessage, message ?? "")
            .SetProperty(e => e.StatusChangedAt, now)
            .SetProperty(e => e.LastUpdate, now)
            .SetProperty(e => e.LastChangedAt, now)
            .SetProperty(e => e.LastChangedBy, userId)
            .SetProperty(e => e.StartedAt, started)
            .SetProperty(e => e.CompletedAt, completed)
            .SetProperty(e => e.PublishedAt, published), ct);
        if (updated == 0)
        {
            throw new DomainException(DomainError.InvalidState, EntityKind.Experiment,
                "failed changing task status. probably someone changed it before you");
        }
        return new StatusChange(target, reason ?? "", now, started, completed, published);
    }

    /// <summary>
    /// Back to <c>created</c> as if never run: timestamps, progress and every reported metric and event are cleared.
    /// A published experiment only when forced.
    /// </summary>
    public async Task<StatusChange> ResetAsync(Guid id, bool force, Guid? userId, CancellationToken ct)
    {
        var status = await db.Experiments.Where(e => e.Id == id).Select(e => (ExperimentStatus?)e.Status).SingleOrDefaultAsync(ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        if (status == ExperimentStatus.Published && !force)
        {
            throw new DomainException(DomainError.InvalidState, EntityKind.Experiment, $"cannot reset a task in status {Wire(status)}");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.MetricSeries.Where(s => s.ExperimentId == id).ExecuteDeleteAsync(ct);
        await db.Events.Where(e => e.ExperimentId == id).ExecuteDeleteAsync(ct);
        await db.QueueEntries.Where(e => e.ExperimentId == id).ExecuteDeleteAsync(ct);
        await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.QueueId, (Guid?)null)
            .SetProperty(e => e.Status, ExperimentStatus.Created)
            .SetProperty(e => e.StatusReason, ResetReason)
            .SetProperty(e => e.StatusMessage, ResetReason)
            .SetProperty(e => e.StatusChangedAt, now)
            .SetProperty(e => e.LastUpdate, now)
            .SetProperty(e => e.LastChangedAt, now)
            .SetProperty(e => e.LastChangedBy, userId)
            .SetProperty(e => e.StartedAt, (DateTime?)null)
            .SetProperty(e => e.CompletedAt, (DateTime?)null)
            .SetProperty(e => e.PublishedAt, (DateTime?)null)
            .SetProperty(e => e.LastIteration, 0L)
            .SetProperty(e => e.Runtime, (string?)null), ct);
        await transaction.CommitAsync(ct);
        return new StatusChange(ExperimentStatus.Created, ResetReason, now, null, null, null);
    }

    /// <summary>
    /// Deletes the experiment with its parameters, metrics and events. Without force only one that never
    /// ran (still <c>created</c>) or one carrying the <see cref="ArchivedTag"/> system tag.
    /// </summary>
    public async Task DeleteAsync(Guid id, bool force, CancellationToken ct)
    {
        var current = await db.Experiments.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new { e.Status, Archived = e.SystemTags.Contains(ArchivedTag) })
            .SingleOrDefaultAsync(ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, id.ToString("N"));
        if (!force && current.Status != ExperimentStatus.Created && !current.Archived)
        {
            throw DomainException.Broken(DomainError.NotDeletable, EntityKind.Experiment,
                new RuleViolation(id.ToString("N"), Wire(current.Status), Wire(ExperimentStatus.Created), CanForce: true),
                $"the experiment is {Wire(current.Status)}; only a created or archived one can be deleted");
        }
        await db.Experiments.Where(e => e.Id == id).ExecuteDeleteAsync(ct);
    }
}
