using Microsoft.EntityFrameworkCore;

namespace MlOps.Data.Repositories;

/// <summary>Lookups by primary key shared by repositories whose entities have a Guid <c>Id</c>.</summary>
internal static class Rows
{
    public static async Task<T> GetAsync<T>(this IQueryable<T> rows, Guid id, EntityKind kind, CancellationToken ct) where T : class =>
        await rows.SingleOrDefaultAsync(e => EF.Property<Guid>(e, "Id") == id, ct) ?? throw DomainException.NotFound(kind, id.ToString("N"));

    public static async Task DeleteAsync<T>(this IQueryable<T> rows, Guid id, EntityKind kind, CancellationToken ct) where T : class
    {
        if (await rows.Where(e => EF.Property<Guid>(e, "Id") == id).ExecuteDeleteAsync(ct) == 0)
        {
            throw DomainException.NotFound(kind, id.ToString("N"));
        }
    }

    /// <summary>Refuses an id that names no row: a reference to an unknown object is reported as that object missing.</summary>
    public static async Task RequireAsync<T>(this IQueryable<T> rows, Guid? id, EntityKind kind, CancellationToken ct) where T : class
    {
        if (id is { } value && !await rows.AnyAsync(e => EF.Property<Guid>(e, "Id") == value, ct))
        {
            throw DomainException.NotFound(kind, value.ToString("N"));
        }
    }

    /// <summary>Refuses a list of ids unless every one names a row (of the scope's workspace, through the tenant filter).</summary>
    public static async Task RequireAllAsync<T>(this IQueryable<T> rows, IReadOnlyCollection<Guid> ids, EntityKind kind, CancellationToken ct) where T : class
    {
        if (ids.Count == 0)
        {
            return;
        }
        var found = await rows.Select(e => EF.Property<Guid>(e, "Id")).Where(id => ids.Contains(id)).ToListAsync(ct);
        foreach (var missing in ids.Except(found))
        {
            throw DomainException.NotFound(kind, missing.ToString("N"));
        }
    }

    public static string Required(string? value, EntityKind kind, string what) =>
        value?.Trim() is { Length: > 0 } trimmed ? trimmed : throw new DomainException(DomainError.InvalidInput, kind, $"{what} must not be empty");

    public static DomainException Exists(EntityKind kind, string what) => new(DomainError.AlreadyExists, kind, $"{what} already exists");
}
