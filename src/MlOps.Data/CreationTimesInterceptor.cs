using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MlOps.Data;

/// <summary>
/// Gives every new row the time it was created: a creation time the insert leaves unset becomes the clock's now. One
/// place for every write path (repositories, tenancy, the surfaces), so none reads the system clock itself.
/// </summary>
public sealed class CreationTimesInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    /// <summary>The entities' times that start at their row's creation.</summary>
    private static readonly HashSet<string> CreationTimes = ["CreatedAt", "LastUpdate", "ModifiedAt", "RegisteredAt", "LastActivityAt", "AddedAt"];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        DateTime? now = null;
        foreach (var entry in context.ChangeTracker.Entries().Where(e => e.State == EntityState.Added))
        {
            foreach (var property in entry.Properties.Where(p => CreationTimes.Contains(p.Metadata.Name) && p.CurrentValue is DateTime time && time == default))
            {
                property.CurrentValue = now ??= clock.GetUtcNow().UtcDateTime;
            }
        }
    }
}
