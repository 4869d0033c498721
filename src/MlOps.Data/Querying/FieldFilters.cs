using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Repositories;

namespace MlOps.Data.Querying;

/// <summary>One condition on a field: <c>equals</c>, <c>notequals</c>, <c>contains</c>, <c>startswith</c>, <c>endswith</c>, <c>oneof</c>, <c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c>.</summary>
public sealed record FieldCondition(string Field, string Operator, string Value);

/// <summary>A filtered, sorted, numbered page of a listing (page numbers from 1).</summary>
public sealed record PageRequest(IReadOnlyList<FieldCondition> Conditions, bool MatchAny, SortKey Sort, int Number, int Size);

public sealed record PageResult<T>(List<T> Items, int Total);

/// <summary>
/// The fields of <typeparamref name="T"/> a listing may filter and sort on, by wire name, and how to apply a
/// <see cref="PageRequest"/> to a query with them. Values arrive as text and are read as the field's type.
/// </summary>
public sealed class FieldFilters<T>
{
    private readonly Dictionary<string, LambdaExpression> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<string, string?>> _translations = new(StringComparer.Ordinal);

    /// <summary>A field; <paramref name="translate"/> turns a wire value into the stored one (null: no such value).</summary>
    public FieldFilters<T> Add<TField>(string name, Expression<Func<T, TField>> field, Func<string, string?>? translate = null)
    {
        _fields[name] = field;
        if (translate is not null)
        {
            _translations[name] = translate;
        }
        return this;
    }

    public bool Knows(string name) => _fields.ContainsKey(name);

    public async Task<PageResult<T>> PageAsync(IQueryable<T> rows, PageRequest request, Expression<Func<T, Guid>> tieBreaker, CancellationToken ct)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var tests = request.Conditions.Select(c => Condition(c, row)).ToList();
        if (tests.Count > 0)
        {
            var combined = tests.Aggregate(request.MatchAny ? Expression.OrElse : Expression.AndAlso);
            rows = rows.Where(Expression.Lambda<Func<T, bool>>(combined, row));
        }
        var total = await rows.CountAsync(ct);
        var sort = Field(request.Sort.Field);
        var ordered = (IOrderedQueryable<T>)rows.Provider.CreateQuery<T>(Expression.Call(
            typeof(Queryable), request.Sort.Descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy),
            [typeof(T), sort.ReturnType], rows.Expression, Expression.Quote(Rebind(sort, row))));
        var items = await ordered.ThenBy(tieBreaker).Skip((request.Number - 1) * request.Size).Take(request.Size).ToListAsync(ct);
        return new PageResult<T>(items, total);
    }

    private LambdaExpression Field(string name) =>
        _fields.TryGetValue(name, out var field) ? field : throw Invalid($"unknown field to sort or filter by: {name}");

    private static LambdaExpression Rebind(LambdaExpression field, ParameterExpression row) =>
        Expression.Lambda(new Rebinder(field.Parameters[0], row).Visit(field.Body), row);

    private Expression Condition(FieldCondition condition, ParameterExpression row)
    {
        if (_translations.TryGetValue(condition.Field, out var translate))
        {
            var values = condition.Operator == "oneof" ? ReadList(condition.Value) : [condition.Value];
            var stored = values.Select(v => translate(v) ?? throw Invalid($"'{v}' is not a valid value for field {condition.Field}"));
            condition = condition with { Value = condition.Operator == "oneof" ? JsonSerializer.Serialize(stored) : stored.Single() };
        }
        var member = Rebind(Field(condition.Field), row).Body;
        var type = Nullable.GetUnderlyingType(member.Type) ?? member.Type;
        if (condition.Operator == "oneof")
        {
            var values = ReadList(condition.Value).Select(v => Parse(v, type, condition.Field)).ToList();
            var list = Array.CreateInstance(member.Type, values.Count);
            for (var i = 0; i < values.Count; i++)
            {
                list.SetValue(values[i], i);
            }
            return Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [member.Type], Expression.Constant(list), member);
        }
        var value = Expression.Constant(Parse(condition.Value, type, condition.Field), member.Type);
        return (condition.Operator, type == typeof(string)) switch
        {
            ("equals", _) => Expression.Equal(member, value),
            ("notequals", _) => Expression.NotEqual(member, value),
            ("contains" or "startswith" or "endswith", true) => Expression.AndAlso(
                Expression.NotEqual(member, Expression.Constant(null, typeof(string))),
                Expression.Call(member, typeof(string).GetMethod(TextMethod(condition.Operator), [typeof(string)])!, value)),
            ("gt", false) when Ordered(type) => Expression.GreaterThan(member, value),
            ("gte", false) when Ordered(type) => Expression.GreaterThanOrEqual(member, value),
            ("lt", false) when Ordered(type) => Expression.LessThan(member, value),
            ("lte", false) when Ordered(type) => Expression.LessThanOrEqual(member, value),
            _ => throw Invalid($"operator '{condition.Operator}' does not apply to field {condition.Field}"),
        };
    }

    private static string TextMethod(string op) => op switch
    {
        "contains" => nameof(string.Contains),
        "startswith" => nameof(string.StartsWith),
        _ => nameof(string.EndsWith),
    };

    private static bool Ordered(Type type) => type == typeof(DateTime) || type == typeof(int) || type == typeof(long);

    private static IEnumerable<string> ReadList(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<List<JsonElement>>(text)!.Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText());
        }
        catch (JsonException)
        {
            return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
    }

    private static object Parse(string text, Type type, string field)
    {
        object? value = type switch
        {
            _ when type == typeof(string) => text,
            _ when type == typeof(Guid) => Guid.TryParse(text, out var g) ? g : null,
            _ when type == typeof(DateTime) => DateTime.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? d : null,
            _ when type == typeof(int) => int.TryParse(text, CultureInfo.InvariantCulture, out var i) ? i : null,
            _ when type == typeof(long) => long.TryParse(text, CultureInfo.InvariantCulture, out var l) ? l : null,
            _ when type == typeof(bool) => bool.TryParse(text, out var b) ? b : null,
            _ when type.IsEnum => Enum.TryParse(type, text, ignoreCase: true, out var e) ? e : null,
            _ => null,
        };
        return value ?? throw Invalid($"'{text}' is not a valid value for field {field}");
    }

    private static DomainException Invalid(string message) => new(DomainError.InvalidInput, EntityKind.Project, message);

    private sealed class Rebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
