using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MlOps.Data.Querying;

/// <summary>
/// Rows read without some of their columns (left at their defaults), for list pages that do not show large ones.
/// Every other mapped column is read, so a column added to the entity later is read too.
/// </summary>
public static class Columns
{
    private static readonly ConcurrentDictionary<(Type, string), LambdaExpression> Projections = new();

    /// <summary>The rows without the <paramref name="skipped"/> properties, with the <paramref name="collections"/> loaded.</summary>
    public static IQueryable<T> Without<T>(IQueryable<T> rows, IModel model, IReadOnlyCollection<string> skipped, params string[] collections)
        where T : class
    {
        var key = (typeof(T), string.Join(",", skipped.Order()) + "|" + string.Join(",", collections));
        return rows.Select((Expression<Func<T, T>>)Projections.GetOrAdd(key, _ => Projection<T>(model, skipped, collections)));
    }

    private static Expression<Func<T, T>> Projection<T>(IModel model, IReadOnlyCollection<string> skipped, string[] collections)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var bindings = model.FindEntityType(typeof(T))!.GetProperties()
            .Select(p => p.PropertyInfo).OfType<PropertyInfo>()
            .Where(p => !skipped.Contains(p.Name))
            .Select(p => (MemberBinding)Expression.Bind(p, Expression.Property(row, p)))
            .Concat(collections.Select(name =>
            {
                var property = typeof(T).GetProperty(name)!;
                var toList = typeof(Enumerable).GetMethod(nameof(Enumerable.ToList))!.MakeGenericMethod(property.PropertyType.GetGenericArguments()[0]);
                return (MemberBinding)Expression.Bind(property, Expression.Call(toList, Expression.Property(row, property)));
            }));
        return Expression.Lambda<Func<T, T>>(Expression.MemberInit(Expression.New(typeof(T)), bindings), row);
    }
}
