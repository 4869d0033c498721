using System.Linq.Expressions;

namespace MlOps.Data.Querying;

public static class Ordering
{
    /// <summary>
    /// Applies the sort keys the entity knows (unknown ones are ignored), then the tie-breaker, so
    /// paging is stable. Keys not in <paramref name="sortable"/> are offered to <paramref name="resolve"/>.
    /// </summary>
    public static IQueryable<T> OrderByKeys<T>(
        this IQueryable<T> rows,
        IReadOnlyList<SortKey>? keys,
        IReadOnlyDictionary<string, Expression<Func<T, object?>>> sortable,
        Expression<Func<T, Guid>> tieBreaker,
        Func<SortKey, Expression<Func<T, object?>>?>? resolve = null)
    {
        IOrderedQueryable<T>? ordered = null;
        foreach (var key in keys ?? [])
        {
            if ((sortable.GetValueOrDefault(key.Field) ?? resolve?.Invoke(key)) is not { } selector)
            {
                continue;
            }
            ordered = (ordered, key.Descending) switch
            {
                (null, false) => rows.OrderBy(selector),
                (null, true) => rows.OrderByDescending(selector),
                (_, false) => ordered.ThenBy(selector),
                (_, true) => ordered.ThenByDescending(selector),
            };
        }
        return ordered is null ? rows.OrderBy(tieBreaker) : ordered.ThenBy(tieBreaker);
    }
}
