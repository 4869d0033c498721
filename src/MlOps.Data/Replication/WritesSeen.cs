using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MlOps.Data.Replication;

/// <summary>
/// Tells a context it has written: a save, a statement run for its effect (raw SQL, <c>ExecuteUpdate</c>/<c>ExecuteDelete</c>),
/// or a transaction begun (every multi-statement write and COPY runs in one). From then on the request's heavy reads stay
/// on the primary (<see cref="ReadSide"/>), where its own uncommitted and just-committed rows are.
/// </summary>
internal sealed class WritesSeen : DbCommandInterceptor, ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly WritesSeen Instance = new();

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Note(Microsoft.EntityFrameworkCore.DbContext? context) => (context as MlOpsDbContext)?.NoteWrite();
}
