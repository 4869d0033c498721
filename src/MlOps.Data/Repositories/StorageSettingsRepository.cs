using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Security;

namespace MlOps.Data.Repositories;

/// <summary>The cloud-storage providers a workspace may keep credentials for.</summary>
public enum StorageProvider
{
    Aws,
    Google,
    Azure,
}

/// <summary>A workspace's storage settings as plain JSON documents per provider (null: none stored).</summary>
public sealed record StorageDocuments(IReadOnlyDictionary<StorageProvider, string> Providers, DateTime? LastUpdate);

/// <summary>The caller's workspace's storage settings: one row, each provider's document encrypted at rest.</summary>
public sealed class StorageSettingsRepository(MlOpsDbContext db, SecretProtector protector, TimeProvider clock)
{
    public async Task<StorageDocuments> GetAsync(CancellationToken ct)
    {
        var row = await db.StorageSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        var providers = new Dictionary<StorageProvider, string>();
        foreach (var provider in Enum.GetValues<StorageProvider>())
        {
            if (row is not null && Stored(row, provider) is { } sealedText)
            {
                providers[provider] = protector.Unprotect(sealedText);
            }
        }
        return new StorageDocuments(providers, row?.LastUpdate);
    }

    /// <summary>Replaces the given providers' documents (the others stay); at least one must be given.</summary>
    public async Task SetAsync(IReadOnlyDictionary<StorageProvider, string> documents, CancellationToken ct)
    {
        if (documents.Count == 0)
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.StorageSettings, "No settings were provided");
        }
        var row = await db.StorageSettings.SingleOrDefaultAsync(ct);
        if (row is null)
        {
            row = new StorageSettings();
            db.StorageSettings.Add(row);
        }
        foreach (var (provider, document) in documents)
        {
            Store(row, provider, protector.Protect(document));
        }
        row.LastUpdate = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (db.Entry(row).State == EntityState.Added)
        {
            // Another request made the row meanwhile: apply these documents to it.
            db.ChangeTracker.Clear();
            await SetAsync(documents, ct);
        }
    }

    /// <summary>Forgets the given providers' documents; false when the workspace has no settings at all.</summary>
    public async Task<bool> ResetAsync(IReadOnlyList<StorageProvider> providers, CancellationToken ct)
    {
        var row = await db.StorageSettings.SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return false;
        }
        foreach (var provider in providers)
        {
            Store(row, provider, null);
        }
        row.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string? Stored(StorageSettings row, StorageProvider provider) => provider switch
    {
        StorageProvider.Aws => row.Aws,
        StorageProvider.Google => row.Google,
        _ => row.Azure,
    };

    private static void Store(StorageSettings row, StorageProvider provider, string? value)
    {
        switch (provider)
        {
            case StorageProvider.Aws:
                row.Aws = value;
                break;
            case StorageProvider.Google:
                row.Google = value;
                break;
            default:
                row.Azure = value;
                break;
        }
    }
}
