using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Data;

/// <summary>Server-wide values that every replica must agree on, created once by whichever replica asks first.</summary>
public sealed class ServerSettingsStore(WorkspaceContextFactory contexts)
{
    public async Task<string> GetOrCreateAsync(string key, Func<string> create, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        var existing = await db.ServerSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == key, ct);
        if (existing is not null)
        {
            return existing.Value;
        }
        db.ServerSettings.Add(new ServerSetting { Key = key, Value = create() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Lost the race to another replica: use the value it stored.
        }
        await using var reread = contexts.For(null);
        return (await reread.ServerSettings.AsNoTracking().SingleAsync(s => s.Key == key, ct)).Value;
    }

    public async Task<string?> GetAsync(string key, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        return (await db.ServerSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == key, ct))?.Value;
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing what was there (the last writer wins).</summary>
    public async Task SetAsync(string key, string value, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        if (await db.ServerSettings.Where(s => s.Key == key).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, value), ct) > 0)
        {
            return;
        }
        db.ServerSettings.Add(new ServerSetting { Key = key, Value = value });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var retry = contexts.For(null);
            await retry.ServerSettings.Where(s => s.Key == key).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, value), ct);
        }
    }

    /// <summary>
    /// Replaces the value under <paramref name="key"/> with <paramref name="change"/> of it (null when there is none),
    /// as one step: when another writer changed it in between, the change is made again over what that writer stored.
    /// </summary>
    public async Task<string> UpdateAsync(string key, Func<string?, string> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(key, ct);
            var changed = change(current);
            await using var db = contexts.For(null);
            if (current is null)
            {
                db.ServerSettings.Add(new ServerSetting { Key = key, Value = changed });
                try
                {
                    await db.SaveChangesAsync(ct);
                    return changed;
                }
                catch (DbUpdateException) when (attempt < MaxAttempts)
                {
                    continue;
                }
            }
            if (await db.ServerSettings.Where(s => s.Key == key && s.Value == current).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, changed), ct) > 0)
            {
                return changed;
            }
            if (attempt >= MaxAttempts)
            {
                throw new DbUpdateConcurrencyException($"the setting {key} kept changing under {MaxAttempts} attempts to update it");
            }
        }
    }

    private const int MaxAttempts = 20;

    /// <summary>The id this server (all its replicas) reports to clients.</summary>
    public async Task<Guid> ServerIdAsync(CancellationToken ct) =>
        Guid.Parse(await GetOrCreateAsync("server_uid", () => Guid.NewGuid().ToString("N"), ct));
}
