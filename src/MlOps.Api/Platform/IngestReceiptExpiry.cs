using Microsoft.EntityFrameworkCore;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Platform;

/// <summary>
/// Deletes report receipts older than <see cref="Lifetime"/>, hourly (any replica may: the delete is idempotent). A
/// retry comes within seconds or minutes of the request it repeats; a day covers any client's patience.
/// </summary>
public sealed class IngestReceiptExpiry(WorkspaceContextFactory contexts, TimeProvider clock, ILogger<IngestReceiptExpiry> log) : BackgroundService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                var before = clock.GetUtcNow().UtcDateTime - Lifetime;
                await using var db = contexts.For(null);
                await db.IngestReceipts.IgnoreQueryFilters().Where(r => r.CreatedAt < before).ExecuteDeleteAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Expired report receipts could not be deleted; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
