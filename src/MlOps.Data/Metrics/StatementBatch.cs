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
    public void Add(Action<StringBuilder, Func<object?, string>> write, int parameters)
    {
        if (_commands[^1].Args.Count + parameters > MaxParameters)
        {
            _commands.Add((new(), []));
        }
        var (sql, args) = _commands[^1];
        write(sql, value =>
        {
            args.Add(value);
            return "{" + (args.Count - 1) + "}";
        });
        sql.Append(";\n");
    }

    public async Task ExecuteAsync(CancellationToken ct)
    {
        foreach (var (sql, args) in _commands.Where(c => c.Sql.Length > 0))
        {
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), args!, ct);
        }
    }
}
