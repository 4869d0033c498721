using System.Linq.Expressions;

namespace MlOps.Data.Querying;

/// <summary>
/// A filter over a tag list: rows having any of <see cref="AnyOf"/>, all of <see cref="AllOf"/>,
/// none of <see cref="NoneOf"/>; the non-empty parts are joined with AND, or OR when
/// <see cref="MatchAny"/>. <see cref="OrUntagged"/> also admits rows without tags.
/// </summary>
public sealed record TagFilter(
    IReadOnlyList<string> AnyOf,
    IReadOnlyList<string> AllOf,
    IReadOnlyList<string> NoneOf,
    bool MatchAny = false,
    bool OrUntagged = false)
{
    public static TagFilter Excluding(params string[] tags) => new([], [], tags);

    public TagFilter AlsoExcluding(string tag) => this with { NoneOf = [.. NoneOf, tag] };

    public bool IsEmpty => AnyOf.Count == 0 && AllOf.Count == 0 && NoneOf.Count == 0 && !OrUntagged;

    /// <summary>The predicate over the tag list <paramref name="tags"/> picks out of a row.</summary>
    public Expression<Func<T, bool>> ToPredicate<T>(Expression<Func<T, List<string>>> tags)
    {
        var row = tags.Parameters[0];
        var list = tags.Body;
        var parts = new List<Expression>();
        if (AnyOf.Count > 0)
        {
            parts.Add(HasAny(list, AnyOf));
        }
        parts.AddRange(AllOf.Select(tag => (Expression)Contains(list, tag)));
        if (NoneOf.Count > 0)
        {
            parts.Add(Expression.Not(HasAny(list, NoneOf)));
        }
        Expression? matched = parts.Count == 0
            ? null
            : parts.Aggregate((a, b) => MatchAny ? Expression.OrElse(a, b) : Expression.AndAlso(a, b));
        var untagged = Expression.Not(AnyElement(list));
        var body = (matched, OrUntagged) switch
        {
            (null, true) => untagged,
            (null, false) => Expression.Constant(true),
            (_, true) => Expression.OrElse(matched, untagged),
            _ => matched,
        };
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    private static MethodCallExpression Contains(Expression list, string tag) =>
        Expression.Call(list, typeof(List<string>).GetMethod(nameof(List<string>.Contains))!, Parameter(tag));

    /// <summary>A closure-style member access, which EF sends as a query parameter rather than inlining it.</summary>
    private static MemberExpression Parameter<TValue>(TValue value) =>
        Expression.Field(Expression.Constant(new Captured<TValue>(value)), nameof(Captured<TValue>.Value));

    private sealed class Captured<TValue>(TValue value)
    {
        public readonly TValue Value = value;
    }

    private static MethodCallExpression AnyElement(Expression list) =>
        Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(string)], list);

    private static MethodCallExpression HasAny(Expression list, IReadOnlyList<string> tags)
    {
        var tag = Expression.Parameter(typeof(string), "tag");
        var candidates = Parameter(tags.ToList());
        var isCandidate = Expression.Call(candidates, typeof(List<string>).GetMethod(nameof(List<string>.Contains))!, tag);
        return Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(string)], list,
            Expression.Lambda<Func<string, bool>>(isCandidate, tag));
    }
}
