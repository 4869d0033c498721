using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Security;

namespace MlOps.Data.Repositories;

/// <summary>
/// A user's API keys one by one (ZenML's service account keys): issued under a name, renamed, rotated, switched off and
/// on, removed. A key switched off keeps its row but not its lookup digest, so no credential check can find it until it
/// is switched on again; like a deleted key, it is refused once the credential caches expire.
/// </summary>
public sealed partial class UserRepository
{
    private const string InactivePrefix = "inactive:";

    public static bool IsActive(Credential key) => !key.Identifier.StartsWith(InactivePrefix, StringComparison.Ordinal);

    /// <summary>A new API key named <paramref name="name"/>; the key itself is only ever returned here (and by a rotation).</summary>
    public async Task<(Credential Key, string Secret)> IssueApiKeyAsync(Guid userId, string name, CancellationToken ct)
    {
        await GetAsync(userId, ct);
        if (await ApiKeys(userId).AnyAsync(c => c.Label == name, ct))
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.ApiKey, $"an API key named '{name}' already exists");
        }
        var secret = SecretHasher.NewToken(48);
        var key = new Credential { UserId = userId, Kind = CredentialKind.ApiKey, Identifier = SecretHasher.DigestApiKey(secret), Label = name };
        db.Credentials.Add(key);
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    /// <summary>Renames and switches the key on or off (null leaves each as it is).</summary>
    public async Task<Credential> UpdateApiKeyAsync(Guid userId, Guid keyId, string? name, bool? active, CancellationToken ct)
    {
        var key = await ApiKeys(userId).SingleOrDefaultAsync(c => c.Id == keyId, ct) ?? throw DomainException.NotFound(EntityKind.ApiKey, keyId);
        if (name is not null && name != key.Label && await ApiKeys(userId).AnyAsync(c => c.Label == name, ct))
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.ApiKey, $"an API key named '{name}' already exists");
        }
        key.Label = name ?? key.Label;
        if (active is { } on && on != IsActive(key))
        {
            key.Identifier = on ? key.Identifier[InactivePrefix.Length..] : InactivePrefix + key.Identifier;
        }
        await db.SaveChangesAsync(ct);
        return key;
    }

    /// <summary>A new secret for the key (the old one is refused from now on); an inactive key stays inactive.</summary>
    public async Task<(Credential Key, string Secret)> RotateApiKeyAsync(Guid userId, Guid keyId, CancellationToken ct)
    {
        var key = await ApiKeys(userId).SingleOrDefaultAsync(c => c.Id == keyId, ct) ?? throw DomainException.NotFound(EntityKind.ApiKey, keyId);
        var secret = SecretHasher.NewToken(48);
        key.Identifier = (IsActive(key) ? "" : InactivePrefix) + SecretHasher.DigestApiKey(secret);
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    public async Task DeleteApiKeyAsync(Guid userId, Guid keyId, CancellationToken ct)
    {
        if (await ApiKeys(userId).Where(c => c.Id == keyId).ExecuteDeleteAsync(ct) == 0)
        {
            throw DomainException.NotFound(EntityKind.ApiKey, keyId);
        }
    }

    private IQueryable<Credential> ApiKeys(Guid userId) => db.Credentials.Where(c => c.UserId == userId && c.Kind == CredentialKind.ApiKey);
}
