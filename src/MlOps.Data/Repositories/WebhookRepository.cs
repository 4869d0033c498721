using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>Where registry changes are announced: URLs (with headers) per model name, or for every model when the name is null.</summary>
public sealed record WebhookConfig(string? ModelName, IReadOnlyList<(string Url, string? Headers)> Urls);

public sealed class WebhookRepository(MlOpsDbContext db)
{
    /// <summary>
    /// Sets the URLs of each model named in <paramref name="configs"/>; with <paramref name="replaceAll"/> the
    /// workspace's other webhooks are removed too. One transaction either way.
    /// </summary>
    public async Task ConfigureAsync(IReadOnlyList<WebhookConfig> configs, bool replaceAll, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (replaceAll)
        {
            await db.WebhookTargets.ExecuteDeleteAsync(ct);
        }
        else
        {
            foreach (var name in configs.Select(c => c.ModelName).Distinct())
            {
                await db.WebhookTargets.Where(t => t.ModelName == name).ExecuteDeleteAsync(ct);
            }
        }
        db.WebhookTargets.AddRange(configs.SelectMany(c => c.Urls.Select(u => new WebhookTarget { ModelName = c.ModelName, Url = u.Url, Headers = u.Headers })));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The targets told about a change to the model: its own and the workspace-wide ones.</summary>
    public Task<List<WebhookTarget>> TargetsForAsync(string modelName, CancellationToken ct) =>
        db.WebhookTargets.AsNoTracking().Where(t => t.ModelName == null || t.ModelName == modelName).ToListAsync(ct);
}
