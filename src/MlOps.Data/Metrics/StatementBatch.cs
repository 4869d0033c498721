using System.Text;
using Microsoft.EntityFrameworkCore;

namespace MlOps.Data.Metrics;

/// <summary>
/// SQL statements sent to the database in as few round trips as the parameter limits allow (SQLite takes
/// 32,766 parameters per command). Values are bound through EF, so Guids and timestamps keep the stored
/// format of each provider.
/// </summary>
internal sealed class StatementBatch(MlOpsDbContext db)
{
    private const int MaxParameters = 30_000;

    private readonly List<(StringBuilder Sql, List<object?> Args)> _commands = [(new(), [])];

    /// <summary>Adds one statement; <paramref name="write"/> gets a function that binds a value and returns its placeholder.</summary>
    public void Add(Action<StringBuilder, Func<object?, string>> write)
    {
        var (sql, args) = _commands[^1];
        var (length, bound) = (sql.Length, args.Count);
        Write(sql, args, write);
        if (args.Count > MaxParameters && bound > 0)
        {
            // Too many for this command: the statement starts the next one instead.
            sql.Length = length;
            args.RemoveRange(bound, args.Count - bound);
            _commands.Add((new(), []));
            Write(_commands[^1].Sql, _commands[^1].Args, write);
        }
    }

    private static void Write(StringBuilder sql, List<object?> args, Action<StringBuilder, Func<object?, string>> write)
    {
        write(sql, value =>
        {
            args.Add(value);
            return "{" + (args.Count - 1) + "}";
        });
        sql.Append(";\n");
    }

    /// <summary>
    /// The rows as a table <c>v</c> with columns <c>column1</c>, <c>column2</c>, ...: on PostgreSQL one array parameter
    /// per column, unnested (a few parameters however many rows, and one plan); elsewhere a VALUES list.
    /// </summary>
    public string Rows<T>(IReadOnlyList<T> rows, Func<object?, string> bind, params RowColumn<T>[] columns)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            var arrays = string.Join(", ", columns.Select(c => $"{bind(c.ArrayOf(rows))}::{c.PostgresType}[]"));
            var names = string.Join(", ", columns.Select((_, i) => $"column{i + 1}"));
            return $"unnest({arrays}) AS v({names})";
        }
        return "(VALUES " + string.Join(", ", rows.Select(row => "(" + string.Join(", ", columns.Select(c => bind(c.ValueOf(row)))) + ")")) + ") AS v";
    }

    public async Task ExecuteAsync(CancellationToken ct)
    {
        foreach (var (sql, args) in _commands.Where(c => c.Sql.Length > 0))
        {
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), args!, ct);
        }
    }
}

/// <summary>One column of the rows a statement reads from <see cref="StatementBatch.Rows"/>: its PostgreSQL type and how a row gives its value.</summary>
internal sealed class RowColumn<T>(string postgresType, Func<T, object?> valueOf, Func<IEnumerable<T>, Array> arrayOf)
{
    public string PostgresType { get; } = postgresType;

    public object? ValueOf(T row) => valueOf(row);

    public Array ArrayOf(IEnumerable<T> rows) => arrayOf(rows);
}

internal static class RowColumn
{
    public static RowColumn<T> Of<T, TValue>(string postgresType, Func<T, TValue> value) =>
        new(postgresType, row => value(row), rows => rows.Select(value).ToArray());
}
