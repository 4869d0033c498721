using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Querying;

namespace MlOps.Data.Repositories;

public sealed record QueueQuery(
    IReadOnlyList<Guid>? Ids = null,
    string? NamePattern = null,
    TagFilter? Tags = null,
    TagFilter? SystemTags = null,
    IReadOnlyList<SortKey>? OrderBy = null,
    Page? Page = null);

/// <summary>Null members are left as they are; metadata given replaces all the metadata.</summary>
public sealed record QueueChanges(
    string? Name = null, IReadOnlyList<string>? Tags = null, IReadOnlyList<string>? SystemTags = null, IReadOnlyList<MetadataItem>? Metadata = null);

public sealed record QueueContents(Queue Queue, List<QueueEntry> Entries);

/// <summary>
/// Queues and what waits in them. Taking the head of a queue is a conditional delete that only one
/// caller can win, so agents on any number of replicas never receive the same experiment twice.
/// </summary>
public sealed class QueueRepository(MlOpsDbContext db, ExperimentRepository experiments, QueueMetricsRepository metrics, TimeProvider clock)
{
    /// <summary>The system tag that marks the queue used when none is named.</summary>
    public const string DefaultTag = "default";

    /// <summary>The system tag of runs started from a developer's machine rather than by an agent.</summary>
    public const string DevelopmentTag = "development";

    private static readonly Dictionary<string, System.Linq.Expressions.Expression<Func<Queue, object?>>> Sortable = new()
    {
        ["id"] = q => q.Id,
        ["name"] = q => q.Name,
        ["created"] = q => q.CreatedAt,
        ["last_update"] = q => q.LastUpdate,
    };

    public async Task<Queue> CreateAsync(string name, QueueChanges details, Guid? userId, CancellationToken ct)
    {
        name = ValidName(name);
        if (await db.Queues.AnyAsync(q => q.Name == name, ct))
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.Queue, $"queue name already exists: name={name}");
        }
        var queue = new Queue
        {
            Name = name,
            UserId = userId,
            Tags = [.. details.Tags ?? []],
            SystemTags = [.. details.SystemTags ?? []],
            Metadata = details.Metadata is null ? null : MetadataDocument.Write(details.Metadata),
        };
        db.Queues.Add(queue);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.Queue, $"queue name already exists: name={name}");
        }
        return queue;
    }

    public async Task<QueueContents> GetAsync(Guid id, CancellationToken ct)
    {
        var queue = await db.Queues.AsNoTracking().SingleOrDefaultAsync(q => q.Id == id, ct) ?? throw NotFound(id);
        return new QueueContents(queue, await EntriesAsync(id, ct));
    }

    public async Task<List<QueueContents>> QueryAsync(QueueQuery query, CancellationToken ct)
    {
        var rows = db.Queues.AsNoTracking();
        if (query.Ids is { Count: > 0 } ids)
        {
            rows = rows.Where(q => ids.Contains(q.Id));
        }
        if (!string.IsNullOrEmpty(query.NamePattern))
        {
            var pattern = ProjectRepository.ValidPattern(query.NamePattern);
            rows = rows.Where(q => Regex.IsMatch(q.Name, pattern));
        }
        if (query.Tags is { IsEmpty: false } tags)
        {
            rows = rows.Where(tags.ToPredicate<Queue>(q => q.Tags));
        }
        if (query.SystemTags is { IsEmpty: false } systemTags)
        {
            rows = rows.Where(systemTags.ToPredicate<Queue>(q => q.SystemTags));
        }
        var page = query.Page ?? Page.First;
        var queues = await rows.OrderByKeys(query.OrderBy, Sortable, q => q.Id).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        var queueIds = queues.Select(q => q.Id).ToList();
        var entries = (await db.QueueEntries.AsNoTracking().Where(e => queueIds.Contains(e.QueueId)).OrderBy(e => e.Position).ToListAsync(ct))
            .ToLookup(e => e.QueueId);
        return [.. queues.Select(q => new QueueContents(q, [.. entries[q.Id]]))];
    }

    public Task<int> CountAsync(CancellationToken ct) => db.Queues.CountAsync(ct);

    /// <summary>The queue tagged as default; the oldest one if several are.</summary>
    public async Task<Queue> GetDefaultAsync(CancellationToken ct) =>
        await db.Queues.AsNoTracking().Where(q => q.SystemTags.Contains(DefaultTag)).OrderBy(q => q.CreatedAt).FirstOrDefaultAsync(ct)
        ?? throw new DomainException(DomainError.NoDefault, EntityKind.Queue, "no queue is tagged as the default queue");

    public Task<Queue?> FindByNameAsync(string name, CancellationToken ct) =>
        db.Queues.AsNoTracking().SingleOrDefaultAsync(q => q.Name == name, ct);

    public async Task<Queue> UpdateAsync(Guid id, QueueChanges changes, CancellationToken ct)
    {
        var queue = await db.Queues.SingleOrDefaultAsync(q => q.Id == id, ct) ?? throw NotFound(id);
        queue.Name = changes.Name is null ? queue.Name : ValidName(changes.Name);
        queue.Tags = changes.Tags is null ? queue.Tags : [.. changes.Tags];
        queue.SystemTags = changes.SystemTags is null ? queue.SystemTags : [.. changes.SystemTags];
        queue.Metadata = changes.Metadata is null ? queue.Metadata : MetadataDocument.Write(changes.Metadata);
        queue.LastUpdate = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.Queue, $"queue name already exists: name={queue.Name}");
        }
        return queue;
    }

    public async Task AddOrUpdateMetadataAsync(Guid id, IReadOnlyList<MetadataItem> items, bool replace, CancellationToken ct)
    {
        var queue = await db.Queues.SingleOrDefaultAsync(q => q.Id == id, ct) ?? throw NotFound(id);
        queue.Metadata = MetadataDocument.Merge(queue.Metadata, items, replace, EntityKind.Queue);
        queue.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteMetadataAsync(Guid id, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var queue = await db.Queues.SingleOrDefaultAsync(q => q.Id == id, ct) ?? throw NotFound(id);
        queue.Metadata = MetadataDocument.Remove(queue.Metadata, keys, EntityKind.Queue);
        queue.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Deletes the queue; one that still holds entries only when forced (its experiments go back to created).</summary>
    public async Task DeleteAsync(Guid id, bool force, Guid? userId, CancellationToken ct)
    {
        var contents = await GetAsync(id, ct);
        if (contents.Entries.Count > 0 && !force)
        {
            throw new DomainException(DomainError.NotEmpty, EntityKind.Queue, $"queue is not empty: queue={id:N}, entries={contents.Entries.Count}");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var entry in contents.Entries)
        {
            await LeaveAsync(entry.ExperimentId, userId, ct);
        }
        await db.Queues.Where(q => q.Id == id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Puts the experiment at the end of the queue and marks it queued, in one transaction; an experiment
    /// already waiting somewhere is refused.
    /// </summary>
    public async Task<StatusChange> EnqueueAsync(
        Guid queueId, Guid experimentId, string? reason, string? message, Guid? userId, CancellationToken ct)
    {
        await GetAsync(queueId, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var change = await experiments.ChangeStatusAsync(experimentId, ExperimentStatus.Queued, false, reason, message, userId, ct);
        if (await db.QueueEntries.AnyAsync(e => e.ExperimentId == experimentId, ct))
        {
            throw new DomainException(DomainError.InvalidState, EntityKind.Experiment, $"task is already queued: task={experimentId:N}");
        }
        var last = await db.QueueEntries.Where(e => e.QueueId == queueId).MaxAsync(e => (long?)e.Position, ct) ?? 0;
        db.QueueEntries.Add(new QueueEntry { QueueId = queueId, ExperimentId = experimentId, Position = last + 1 });
        await db.SaveChangesAsync(ct);
        var experiment = await db.Experiments.SingleAsync(e => e.Id == experimentId, ct);
        experiment.QueueId = queueId;
        // A queued run is executed by an agent, so it no longer counts as a development (local) run.
        experiment.SystemTags = [.. experiment.SystemTags.Where(t => t != DevelopmentTag)];
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await metrics.RecordAsync([queueId], ct);
        return change;
    }

    /// <summary>
    /// Takes the experiment out of the queue it waits in (if any) and, when it is queued or already running (an agent
    /// took it), gives it <paramref name="newStatus"/> (<c>created</c> by default), as ClearML's current server does.
    /// Null when its status was left as it was (it neither waited nor ran).
    /// </summary>
    public async Task<StatusChange?> DequeueAsync(
        Guid experimentId, ExperimentStatus? newStatus, string? reason, string? message, Guid? userId, CancellationToken ct)
    {
        if (!(await experiments.StatusesAsync([experimentId], ct)).TryGetValue(experimentId, out var status))
        {
            throw DomainException.NotFound(EntityKind.Experiment, experimentId.ToString("N"));
        }
        var waitedIn = await db.QueueEntries.Where(e => e.ExperimentId == experimentId).Select(e => e.QueueId).ToListAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.QueueEntries.Where(e => e.ExperimentId == experimentId).ExecuteDeleteAsync(ct) > 0)
        {
            await db.Experiments.Where(e => e.Id == experimentId).ExecuteUpdateAsync(s => s.SetProperty(e => e.QueueId, (Guid?)null), ct);
        }
        var change = status is ExperimentStatus.Queued or ExperimentStatus.InProgress
            ? await experiments.ChangeStatusAsync(experimentId, newStatus ?? ExperimentStatus.Created, true, reason ?? "", message ?? "", userId, ct)
            : null;
        await transaction.CommitAsync(ct);
        if (waitedIn.Count > 0)
        {
            await metrics.RecordAsync(waitedIn, ct);
        }
        return change;
    }

    /// <summary>Adds an experiment to a queue as is (no status change), at the end.</summary>
    public async Task AddAsync(Guid queueId, Guid experimentId, CancellationToken ct)
    {
        await GetAsync(queueId, ct);
        if (!(await experiments.StatusesAsync([experimentId], ct)).ContainsKey(experimentId))
        {
            throw DomainException.NotFound(EntityKind.Experiment, experimentId.ToString("N"));
        }
        var last = await db.QueueEntries.Where(e => e.QueueId == queueId).MaxAsync(e => (long?)e.Position, ct) ?? 0;
        db.QueueEntries.Add(new QueueEntry { QueueId = queueId, ExperimentId = experimentId, Position = last + 1 });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(DomainError.InvalidState, EntityKind.Experiment, $"task is already queued: task={experimentId:N}");
        }
        await metrics.RecordAsync([queueId], ct);
    }

    /// <summary>Removes an experiment from a queue as is; false if it was not there.</summary>
    public async Task<bool> RemoveAsync(Guid queueId, Guid experimentId, CancellationToken ct)
    {
        if (await db.QueueEntries.Where(e => e.QueueId == queueId && e.ExperimentId == experimentId).ExecuteDeleteAsync(ct) == 0)
        {
            return false;
        }
        await metrics.RecordAsync([queueId], ct);
        return true;
    }

    /// <summary>Removes every entry (the experiments keep their status); returns the experiments removed.</summary>
    public async Task<List<Guid>> ClearAsync(Guid queueId, CancellationToken ct)
    {
        var entries = await EntriesAsync(queueId, ct);
        await db.QueueEntries.Where(e => e.QueueId == queueId).ExecuteDeleteAsync(ct);
        await metrics.RecordAsync([queueId], ct);
        return [.. entries.Select(e => e.ExperimentId)];
    }

    /// <summary>
    /// Removes and returns the head of the queue. Two callers racing for the same head both try to
    /// delete it; the one whose delete affects no row tries the next head.
    /// </summary>
    public async Task<QueueEntry?> TakeNextAsync(Guid queueId, CancellationToken ct)
    {
        await GetAsync(queueId, ct);
        while (true)
        {
            var head = await db.QueueEntries.AsNoTracking().Where(e => e.QueueId == queueId).OrderBy(e => e.Position).FirstOrDefaultAsync(ct);
            if (head is null)
            {
                return null;
            }
            if (await db.QueueEntries.Where(e => e.Id == head.Id).ExecuteDeleteAsync(ct) == 1)
            {
                await metrics.RecordAsync([queueId], ct);
                return head;
            }
        }
    }

    public async Task<QueueEntry?> PeekAsync(Guid queueId, CancellationToken ct) =>
        (await GetAsync(queueId, ct)).Entries.FirstOrDefault();

    /// <summary>Moves an entry by <paramref name="steps"/> places (negative = toward the head); returns its new index.</summary>
    public async Task<int> MoveAsync(Guid queueId, Guid experimentId, int steps, CancellationToken ct)
    {
        var entries = await EntriesAsync(queueId, ct);
        var index = entries.FindIndex(e => e.ExperimentId == experimentId);
        if (index < 0)
        {
            throw new DomainException(DomainError.NotQueued, EntityKind.Queue, $"task not in queue: queue={queueId:N}, task={experimentId:N}");
        }
        var entry = entries[index];
        entries.RemoveAt(index);
        var target = Math.Clamp(index + steps, 0, entries.Count);
        entries.Insert(target, entry);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        for (var i = 0; i < entries.Count; i++)
        {
            var id = entries[i].Id;
            var position = i + 1L;
            await db.QueueEntries.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Position, position), ct);
        }
        await transaction.CommitAsync(ct);
        return target;
    }

    private Task<List<QueueEntry>> EntriesAsync(Guid queueId, CancellationToken ct) =>
        db.QueueEntries.AsNoTracking().Where(e => e.QueueId == queueId).OrderBy(e => e.Position).ToListAsync(ct);

    private async Task<StatusChange> LeaveAsync(Guid experimentId, Guid? userId, CancellationToken ct)
    {
        await db.QueueEntries.Where(e => e.ExperimentId == experimentId).ExecuteDeleteAsync(ct);
        await db.Experiments.Where(e => e.Id == experimentId).ExecuteUpdateAsync(s => s.SetProperty(e => e.QueueId, (Guid?)null), ct);
        return await experiments.ChangeStatusAsync(experimentId, ExperimentStatus.Created, true, "", "", userId, ct);
    }

    private static string ValidName(string name) =>
        name.Trim() is { Length: > 0 } trimmed
            ? trimmed
            : throw new DomainException(DomainError.InvalidInput, EntityKind.Queue, "queue name must not be empty");

    private static DomainException NotFound(Guid id) => DomainException.NotFound(EntityKind.Queue, id.ToString("N"));
}
