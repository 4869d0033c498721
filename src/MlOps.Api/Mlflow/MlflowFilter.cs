using System.Globalization;
using System.Text.RegularExpressions;

namespace MlOps.Api.Mlflow;

/// <summary>One comparison of a filter: <c>metrics.acc &gt; 0.9</c> is (metric, acc, &gt;, 0.9). A value is a string, a double or a list of strings.</summary>
public sealed record FilterClause(string Entity, string Key, string Comparator, object Value);

/// <summary>One key of an <c>order_by</c> list.</summary>
public sealed record OrderKey(string Entity, string Key, bool Ascending);

/// <summary>
/// MLflow's search grammar (mlflow/utils/search_utils.py): comparisons joined by AND, each an identifier
/// (<c>metrics.x</c>, <c>params.x</c>, <c>tags.x</c>, <c>attributes.x</c>, <c>datasets.x</c>; a bare name is an
/// attribute; a key with spaces in backticks or double quotes), a comparator (= != &gt; &gt;= &lt; &lt;= LIKE ILIKE IN
/// NOT IN) and a number, a quoted string or a parenthesised list of strings; and <c>order_by</c> keys with ASC or DESC.
/// Rows are matched in memory by <see cref="Matches"/> against what the caller looks up for each identifier.
/// </summary>
public static partial class MlflowFilter
{
    public const string Metric = "metric";
    public const string Param = "param";
    public const string Tag = "tag";
    public const string Attribute = "attribute";
    public const string DatasetEntity = "dataset";

    [GeneratedRegex("""\G\s*(?:(?<str>'(?:[^']|'')*'|"(?:[^"]|"")*")|(?<tick>`[^`]*`)|(?<num>-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?![\w.]))|(?<op>>=|<=|!=|<>|=|>|<)|(?<punct>[(),])|(?<word>[A-Za-z_][\w.:\-]*))""")]
    private static partial Regex Token();

    private sealed record Tok(string Kind, string Text);

    public static List<FilterClause> Parse(string? filter, IReadOnlySet<string> numericAttributes)
    {
        var clauses = new List<FilterClause>();
        if (string.IsNullOrWhiteSpace(filter))
        {
            return clauses;
        }
        var tokens = Tokens(filter);
        var at = 0;
        while (true)
        {
            var (entity, key) = Identifier(tokens, ref at, filter);
            var comparator = Comparator(tokens, ref at, filter);
            var numeric = entity == Metric || (entity == Attribute && numericAttributes.Contains(key));
            object value = comparator is "IN" or "NOT IN" ? List(tokens, ref at, filter) : Literal(tokens, ref at, numeric, filter);
            clauses.Add(Checked(new FilterClause(entity, key, comparator, value), numeric, filter));
            if (at == tokens.Count)
            {
                return clauses;
            }
            if (!tokens[at++].Text.Equals("AND", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(filter, "only AND joins comparisons");
            }
        }
    }

    public static OrderKey ParseOrder(string orderBy, IReadOnlySet<string> attributes)
    {
        var tokens = Tokens(orderBy);
        var at = 0;
        var (entity, key) = Identifier(tokens, ref at, orderBy);
        var ascending = true;
        if (at < tokens.Count)
        {
            ascending = tokens[at++].Text.ToUpperInvariant() switch
            {
                "ASC" => true,
                "DESC" => false,
                _ => throw MlflowException.Invalid($"Invalid order_by clause '{orderBy}'. Could not be parsed."),
            };
        }
        if (at < tokens.Count || (entity == Attribute && !attributes.Contains(key)))
        {
            throw MlflowException.Invalid($"Invalid order_by clause '{orderBy}'. Could not be parsed.");
        }
        return new OrderKey(entity, key, ascending);
    }

    /// <summary>Whether the row's value for the clause's identifier (null when it has none) satisfies it.</summary>
    public static bool Matches(FilterClause clause, object? actual) => (clause.Value, actual) switch
    {
        (double expected, double value) => clause.Comparator switch
        {
            "=" => value == expected,
            "!=" => value != expected,
            ">" => value > expected,
            ">=" => value >= expected,
            "<" => value < expected,
            _ => value <= expected,
        },
        (string expected, string value) => clause.Comparator switch
        {
            "=" => value == expected,
            "!=" => value != expected,
            "LIKE" => Like(expected, ignoreCase: false).IsMatch(value),
            _ => Like(expected, ignoreCase: true).IsMatch(value),
        },
        (List<string> set, string value) => set.Contains(value) == (clause.Comparator == "IN"),
        _ => false,
    };

    /// <summary>Orders by each key in turn, rows without a value last whichever the direction.</summary>
    public static int Compare(object? a, object? b, bool ascending)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : 1) : -1;
        }
        var order = a is double x && b is double y ? x.CompareTo(y) : string.CompareOrdinal(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture));
        return ascending ? order : -order;
    }

    private static List<Tok> Tokens(string text)
    {
        var tokens = new List<Tok>();
        var position = 0;
        while (position < text.Length && !string.IsNullOrWhiteSpace(text[position..]))
        {
            var match = Token().Match(text, position);
            if (!match.Success || match.Length == 0)
            {
                throw Invalid(text, $"unexpected text at '{text[position..].Trim()}'");
            }
            var kind = new[] { "str", "tick", "num", "op", "punct", "word" }.First(g => match.Groups[g].Success);
            tokens.Add(new Tok(kind, match.Groups[kind].Value));
            position += match.Length;
        }
        return tokens;
    }

    private static (string Entity, string Key) Identifier(List<Tok> tokens, ref int at, string text)
    {
        if (at >= tokens.Count || tokens[at].Kind is not ("word" or "tick" or "str"))
        {
            throw Invalid(text, "an identifier was expected");
        }
        var token = tokens[at++];
        if (token.Kind != "word")
        {
            return (Attribute, Unquote(token.Text));
        }
        var dot = token.Text.IndexOf('.');
        if (dot < 0)
        {
            return (Attribute, token.Text);
        }
        var entity = token.Text[..dot].ToLowerInvariant() switch
        {
            "metric" or "metrics" => Metric,
            "param" or "params" or "parameter" or "parameters" => Param,
            "tag" or "tags" => Tag,
            "attribute" or "attributes" or "attr" or "run" => Attribute,
            "dataset" or "datasets" => DatasetEntity,
            var other => throw Invalid(text, $"invalid entity type '{other}'; expected metrics, params, tags, attributes or datasets"),
        };
        var key = token.Text[(dot + 1)..];
        if (key.Length == 0 && at < tokens.Count && tokens[at].Kind is "tick" or "str")
        {
            key = Unquote(tokens[at++].Text);
        }
        return key.Length > 0 ? (entity, key) : throw Invalid(text, "a key is missing after the entity type");
    }

    private static string Comparator(List<Tok> tokens, ref int at, string text)
    {
        if (at >= tokens.Count)
        {
            throw Invalid(text, "a comparator was expected");
        }
        var token = tokens[at++];
        if (token.Kind == "op")
        {
            return token.Text == "<>" ? "!=" : token.Text;
        }
        var word = token.Text.ToUpperInvariant();
        if (word == "NOT" && at < tokens.Count && tokens[at].Text.Equals("IN", StringComparison.OrdinalIgnoreCase))
        {
            at++;
            return "NOT IN";
        }
        return word is "LIKE" or "ILIKE" or "IN" ? word : throw Invalid(text, $"invalid comparator '{token.Text}'");
    }

    private static object Literal(List<Tok> tokens, ref int at, bool numeric, string text)
    {
        if (at >= tokens.Count)
        {
            throw Invalid(text, "a value was expected");
        }
        var token = tokens[at++];
        return numeric
            ? token.Kind == "num" && double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
                : throw Invalid(text, $"expected a numeric value but got '{token.Text}'")
            : token.Kind == "str" ? Unquote(token.Text)
            : throw Invalid(text, $"expected a quoted string value but got '{token.Text}'");
    }

    private static List<string> List(List<Tok> tokens, ref int at, string text)
    {
        var values = new List<string>();
        if (at >= tokens.Count || tokens[at++].Text != "(")
        {
            throw Invalid(text, "IN needs a parenthesised list of strings");
        }
        while (at < tokens.Count && tokens[at].Kind == "str")
        {
            values.Add(Unquote(tokens[at++].Text));
            if (at < tokens.Count && tokens[at].Text == ",")
            {
                at++;
            }
        }
        return at < tokens.Count && tokens[at++].Text == ")" && values.Count > 0 ? values : throw Invalid(text, "IN needs a parenthesised list of strings");
    }

    private static FilterClause Checked(FilterClause clause, bool numeric, string text)
    {
        var allowed = numeric ? ["=", "!=", ">", ">=", "<", "<="]
            : clause.Entity is Attribute or DatasetEntity ? ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"]
            : new[] { "=", "!=", "LIKE", "ILIKE" };
        return allowed.Contains(clause.Comparator) ? clause
            : throw Invalid(text, $"invalid comparator '{clause.Comparator}' for {clause.Entity} '{clause.Key}'");
    }

    private static string Unquote(string quoted) => quoted[1..^1].Replace(new string(quoted[0], 2), quoted[0].ToString());

    private static Regex Like(string pattern, bool ignoreCase) =>
        new("^" + string.Concat(pattern.Select(c => c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) })) + "$",
            RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), TimeSpan.FromSeconds(1));

    private static MlflowException Invalid(string filter, string why) => MlflowException.Invalid($"Invalid filter '{filter}': {why}");
}
