using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Querying;

namespace MlOps.Data.Repositories;

/// <summary>A user's own fields; null members are left as they are. The password is stored hashed.</summary>
public sealed record UserProfile(string? FullName = null, string? Email = null, bool? Active = null, string? Password = null);

public sealed record UserQuery(IReadOnlyList<Guid>? Ids, string? NamePattern, IReadOnlyList<SortKey>? OrderBy, Page? Page);

/// <summary>The users of the caller's workspace and their key pairs.</summary>
public sealed partial class UserRepository(MlOpsDbContext db, Security.PasswordHasher passwords)
{
    private static readonly Dictionary<string, System.Linq.Expressions.Expression<Func<User, object?>>> Sortable = new()
    {
        ["id"] = u => u.Id,
        ["name"] = u => u.Name,
        ["created"] = u => u.CreatedAt,
    };

    public Task<User> GetAsync(Guid id, CancellationToken ct) => Users.GetAsync(id, EntityKind.User, ct);

    public Task<List<User>> QueryAsync(UserQuery query, CancellationToken ct)
    {
        var rows = db.Users.AsNoTracking();
        if (query.Ids is { Count: > 0 } ids)
        {
            rows = rows.Where(u => ids.Contains(u.Id));
        }
        if (!string.IsNullOrEmpty(query.NamePattern))
        {
            var pattern = ProjectRepository.ValidPattern(query.NamePattern);
            rows = rows.Where(u => Regex.IsMatch(u.Name, pattern));
        }
        var page = query.Page ?? Page.First;
        return rows.OrderByKeys(query.OrderBy, Sortable, u => u.Id).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
    }

    public IQueryable<User> Users => db.Users.AsNoTracking();

    public Task<Guid?> FindIdAsync(string name, CancellationToken ct) =>
        db.Users.Where(u => u.Name == name).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);

    /// <summary>A user of this workspace without a password (it signs in with key pairs issued to it).</summary>
    public Task<User> CreateAsync(string name, UserRole role, CancellationToken ct) => CreateAsync(name, role, new UserProfile(), ct);

    public async Task<User> CreateAsync(string name, UserRole role, UserProfile profile, CancellationToken ct)
    {
        name = name.Trim();
        if (name.Length == 0)
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.User, "name must not be empty");
        }
        var user = new User { Name = name, Role = role };
        Apply(user, profile);
        db.Users.Add(user);
        return await SaveAsync(user, ct);
    }

    public async Task<User> UpdateAsync(Guid id, string? name, UserRole? role, UserProfile profile, CancellationToken ct)
    {
        var user = await db.Users.GetAsync(id, EntityKind.User, ct);
        user.Name = name is null ? user.Name : Rows.Required(name, EntityKind.User, "name");
        user.Role = role ?? user.Role;
        Apply(user, profile);
        return await SaveAsync(user, ct);
    }

    private void Apply(User user, UserProfile profile)
    {
        user.FullName = profile.FullName ?? user.FullName;
        user.Email = profile.Email ?? user.Email;
        user.Deactivated = profile.Active is { } active ? !active : user.Deactivated;
        user.PasswordHash = profile.Password is { } password ? passwords.Hash(password) : user.PasswordHash;
    }

    private async Task<User> SaveAsync(User user, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.Name == user.Name && u.Id != user.Id, ct))
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.User, $"user name already exists: name={user.Name}");
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.User, $"user name already exists: name={user.Name}");
        }
        return user;
    }

    /// <summary>Removes the user and its credentials; what it created stays.</summary>
    public Task DeleteAsync(Guid id, CancellationToken ct) => db.Users.DeleteAsync(id, EntityKind.User, ct);

    public async Task SetRoleAsync(Guid id, UserRole role, CancellationToken ct)
    {
        if (await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, role), ct) == 0)
        {
            throw DomainException.NotFound(EntityKind.User, id.ToString("N"));
        }
    }

    public async Task RenameAsync(Guid id, string name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.User, "name must not be empty");
        }
        if (await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, name.Trim()), ct) == 0)
        {
            throw DomainException.NotFound(EntityKind.User, id.ToString("N"));
        }
    }

    public async Task SetPreferencesAsync(Guid id, string preferences, CancellationToken ct)
    {
        if (await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Preferences, preferences), ct) == 0)
        {
            throw DomainException.NotFound(EntityKind.User, id.ToString("N"));
        }
    }

    /// <summary>Sets the label of one of the user's key pairs; returns how many were changed (0 or 1).</summary>
    public Task<int> LabelKeyPairAsync(Guid userId, string accessKey, string? label, CancellationToken ct) =>
        db.Credentials
            .Where(c => c.UserId == userId && c.Kind == CredentialKind.KeyPair && c.Identifier == accessKey)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Label, label), ct);

    /// <summary>The access keys of the user's key pairs (secrets are never readable again).</summary>
    /// <summary>The user's API keys (their digests and labels, never the keys).</summary>
    public Task<List<Credential>> ApiKeysAsync(Guid userId, CancellationToken ct) =>
        db.Credentials.AsNoTracking().Where(c => c.UserId == userId && c.Kind == CredentialKind.ApiKey).OrderBy(c => c.CreatedAt).ToListAsync(ct);

    public Task<List<Credential>> KeyPairsAsync(Guid userId, CancellationToken ct) =>
        db.Credentials.AsNoTracking()
            .Where(c => c.UserId == userId && c.Kind == CredentialKind.KeyPair)
            .OrderBy(c => c.CreatedAt)
            .ToListAsync(ct);

    /// <summary>Removes one of the user's key pairs; returns how many were removed (0 or 1).</summary>
    public Task<int> RevokeKeyPairAsync(Guid userId, string accessKey, CancellationToken ct) =>
        db.Credentials
            .Where(c => c.UserId == userId && c.Kind == CredentialKind.KeyPair && c.Identifier == accessKey)
            .ExecuteDeleteAsync(ct);
}
