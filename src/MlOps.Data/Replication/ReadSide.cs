using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace MlOps.Data.Replication;

/// <summary>
/// Where a request's heavy reads run (metric curves, event scrolls, list pages): on the read replica when one is configured,
/// the request has written nothing and the replica has caught up with the primary (<see cref="ReadReplica"/>); on the
/// request's own context otherwise, which without a replica is all there is (no extra query). Decided at the first heavy
/// read and kept for the request, except that once the request writes, its heavy reads stay on the primary. The replica's
/// context is filtered by the same workspace scope as the request's.
/// </summary>
public sealed class ReadSide(MlOpsDbContext primary, IServiceProvider services, ReadReplica? replica) : IAsyncDisposable
{
    private bool _decided;
    private MlOpsDbContext? _replica;
    private readonly Dictionary<Type, object> _onReplica = [];

    public async ValueTask<MlOpsDbContext> ContextAsync(CancellationToken ct)
    {
        if (replica is null || primary.HasWritten)
        {
            return primary;
        }
        if (!_decided)
        {
            _replica = await replica.CaughtUpAsync(primary, ct);
            _decided = true;
        }
        return _replica ?? primary;
    }

    /// <summary>
    /// A repository (or any service over the context) whose queries run on <see cref="ContextAsync"/>: the request's own
    /// instance on the primary, else one made over the replica's context, with the services it stands on that read the
    /// context made over it too. Ask after writing, not before: a repository obtained earlier keeps its context.
    /// </summary>
    public async ValueTask<T> GetAsync<T>(CancellationToken ct) where T : notnull
    {
        var db = await ContextAsync(ct);
        return ReferenceEquals(db, primary) ? services.GetRequiredService<T>() : (T)OnReplica(typeof(T), db);
    }

    private object OnReplica(Type type, MlOpsDbContext db)
    {
        if (!_onReplica.TryGetValue(type, out var made))
        {
            var constructor = type.GetConstructors().Single();
            var arguments = constructor.GetParameters().Select(p =>
                p.ParameterType == typeof(MlOpsDbContext) ? db
                : ReadsContext(p.ParameterType) ? OnReplica(p.ParameterType, db)
                : services.GetRequiredService(p.ParameterType));
            made = _onReplica[type] = constructor.Invoke([.. arguments]);
        }
        return made;
    }

    private static readonly ConcurrentDictionary<Type, bool> MadeOverContext = new();

    /// <summary>Whether one of our types is made over the context, directly or through what it stands on.</summary>
    private static bool ReadsContext(Type type) => MadeOverContext.GetOrAdd(type, t =>
        t.Namespace?.StartsWith("MlOps.", StringComparison.Ordinal) == true
        && t.GetConstructors() is [var constructor]
        && constructor.GetParameters().Any(p => p.ParameterType == typeof(MlOpsDbContext) || ReadsContext(p.ParameterType)));

    public async ValueTask DisposeAsync()
    {
        if (_replica is not null)
        {
            await _replica.DisposeAsync();
        }
    }
}
