using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MlOps.Data.Entities;

namespace MlOps.Data.Events;

/// <summary>
/// Raises domain events from what a save changes, so that no write path (any surface, any repository) can forget to:
/// the changes are read before the save, written to the webhook outbox by the same save (so a change committed is
/// announced even if this process dies next), and published in process only once it committed.
/// </summary>
public sealed class DomainEventsInterceptor(IDomainEventSink sink, TimeProvider clock) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Publish(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var events = context.ChangeTracker.Entries<RegisteredModelVersion>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .Select(e => (Entry: e, Before: e.State == EntityState.Added ? [] : e.Property(v => v.Stages).OriginalValue ?? []))
            .Where(x => !x.Before.SequenceEqual(x.Entry.Entity.Stages))
            .Select(x => (IDomainEvent)new RegistryStageChanged(
                x.Entry.Entity.WorkspaceId, x.Entry.Entity.RegisteredModelId, x.Entry.Entity.Version, [.. x.Before], [.. x.Entry.Entity.Stages], now))
            .ToList();
        if (events.Count > 0)
        {
            var outbox = events.OfType<RegistryStageChanged>()
                .Select(change => context.Add(new WebhookDelivery
                {
                    WorkspaceId = change.WorkspaceId, Payload = JsonSerializer.Serialize(change), NextAttemptAt = now, CreatedAt = now,
                }).Entity)
                .ToList();
            _pending.AddOrUpdate(context, new Pending(events, outbox));
        }
    }

    private void Publish(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            pending.Events.ForEach(sink.Publish);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            // A save tried again collects its changes again: the rows of this attempt must not be written twice.
            pending.Outbox.ForEach(row => context.Entry(row).State = EntityState.Detached);
        }
    }

    private sealed record Pending(List<IDomainEvent> Events, List<WebhookDelivery> Outbox);
}
