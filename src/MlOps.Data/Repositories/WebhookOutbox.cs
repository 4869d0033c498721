using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Data.Repositories;

/// <summary>
/// The webhook outbox across every workspace (<see cref="WebhookDelivery"/>): rows claimed for a while by one replica,
/// deleted once done, put back later when they failed.
/// </summary>
public sealed class WebhookOutbox(WorkspaceContextFactory contexts, TimeProvider clock)
{
    /// <summary>
    /// Up to <paramref name="max"/> rows that are due, now due again only after <paramref name="lease"/>: a replica that
    /// dies holding them lets another take them then. Replicas claiming at once get different rows.
    /// </summary>
    public async Task<List<WebhookDelivery>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        var now = clock.GetUtcNow().UtcDateTime;
        var claim = "UPDATE webhook_deliveries SET next_attempt_at = {0} WHERE id IN (SELECT id FROM webhook_deliveries " +
            $"WHERE next_attempt_at <= {{1}} ORDER BY next_attempt_at LIMIT {max} {db.ClaimRowsLock}) RETURNING *"; // no caller text in it
        return await db.WebhookDeliveries.FromSqlRaw(claim, now + lease, now).IgnoreQueryFilters().AsNoTracking().ToListAsync(ct);
    }

    /// <summary>
    /// Replaces a change by its announcements, one per receiver, in one transaction; nothing when another replica
    /// already did (its lease had ended).
    /// </summary>
    public async Task ReplaceAsync(WebhookDelivery change, IReadOnlyList<WebhookDelivery> announcements, CancellationToken ct)
    {
        await using var db = contexts.For(change.WorkspaceId);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.WebhookDeliveries.Where(d => d.Id == change.Id).ExecuteDeleteAsync(ct) == 0)
        {
            return;
        }
        db.WebhookDeliveries.AddRange(announcements);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task DoneAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        await using var db = contexts.For(delivery.WorkspaceId);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteDeleteAsync(ct);
    }

    public async Task RetryAsync(WebhookDelivery delivery, DateTime at, string error, CancellationToken ct)
    {
        await using var db = contexts.For(delivery.WorkspaceId);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Attempts, d => d.Attempts + 1)
            .SetProperty(d => d.NextAttemptAt, at)
            .SetProperty(d => d.LastError, error.Length > 500 ? error[..500] : error), ct);
    }
}
