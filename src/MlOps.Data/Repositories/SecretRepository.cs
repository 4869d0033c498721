using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Security;

namespace MlOps.Data.Repositories;

public sealed record SecretView(Secret Secret, Dictionary<string, string> Values);

/// <summary>
/// Secrets: values encrypted at rest. Workspace-scoped secrets are seen by the whole workspace, user-scoped ones
/// only by their owner; a name is unique per scope (and owner).
/// </summary>
public sealed class SecretRepository(MlOpsDbContext db, SecretProtector protector, TimeProvider clock)
{
    /// <summary>The secrets <paramref name="userId"/> may see.</summary>
    public IQueryable<Secret> Visible(Guid userId) => VisibleTo(userId).AsNoTracking();

    /// <summary>Workspace secrets and the user's own, tracked for change.</summary>
    private IQueryable<Secret> VisibleTo(Guid userId) => db.Secrets.Where(s => s.Scope == SecretScope.Workspace || s.UserId == userId);

    public async Task<SecretView> CreateAsync(string? name, SecretScope scope, IReadOnlyDictionary<string, string> values, Guid userId, CancellationToken ct)
    {
        var secret = new Secret
        {
            Name = Rows.Required(name, EntityKind.Secret, "name"),
            Scope = scope,
            UserId = userId,
            EncryptedValues = protector.Protect(JsonSerializer.Serialize(values)),
        };
        await RequireUniqueAsync(secret, ct);
        db.Secrets.Add(secret);
        await db.SaveChangesAsync(ct);
        return new SecretView(secret, new Dictionary<string, string>(values));
    }

    public async Task<SecretView> GetAsync(Guid id, Guid userId, CancellationToken ct)
    {
        var secret = await Visible(userId).GetAsync(id, EntityKind.Secret, ct);
        return new SecretView(secret, Values(secret));
    }

    /// <summary>Renames, rescopes, and merges values: a key mapped to null is removed.</summary>
    public async Task<SecretView> UpdateAsync(
        Guid id, string? name, SecretScope? scope, IReadOnlyDictionary<string, string?>? values, Guid userId, CancellationToken ct)
    {
        var secret = await VisibleTo(userId).GetAsync(id, EntityKind.Secret, ct);
        secret.Name = name is null ? secret.Name : Rows.Required(name, EntityKind.Secret, "name");
        secret.Scope = scope ?? secret.Scope;
        var merged = Values(secret);
        foreach (var (key, value) in values ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }
        secret.EncryptedValues = protector.Protect(JsonSerializer.Serialize(merged));
        secret.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await RequireUniqueAsync(secret, ct);
        await db.SaveChangesAsync(ct);
        return new SecretView(secret, merged);
    }

    public Task DeleteAsync(Guid id, Guid userId, CancellationToken ct) =>
        VisibleTo(userId).DeleteAsync(id, EntityKind.Secret, ct);

    private Dictionary<string, string> Values(Secret secret) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(secret.EncryptedValues)) ?? [];

    private async Task RequireUniqueAsync(Secret secret, CancellationToken ct)
    {
        var taken = secret.Scope == SecretScope.Workspace
            ? db.Secrets.AnyAsync(s => s.Scope == SecretScope.Workspace && s.Name == secret.Name && s.Id != secret.Id, ct)
            : db.Secrets.AnyAsync(s => s.Scope == SecretScope.User && s.UserId == secret.UserId && s.Name == secret.Name && s.Id != secret.Id, ct);
        if (await taken)
        {
            throw Rows.Exists(EntityKind.Secret, $"a {secret.Scope.ToString().ToLowerInvariant()} secret named '{secret.Name}'");
        }
    }
}
