using System.Collections.Concurrent;

namespace MlOps.Data.Metrics;

/// <summary>
/// Series ids by (experiment, metric, variant), so steady-state ingest skips the series upsert. An id never
/// changes while its series exists; a series deleted behind the cache (its experiment reset or deleted, on any
/// replica) makes the next insert fail its foreign key, and the writer then evicts and looks the ids up again.
/// </summary>
public sealed class SeriesIdCache
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(Guid ExperimentId, string Metric, string Variant), long> _ids = new();

    public bool TryGet((Guid, string, string) key, out long id) => _ids.TryGetValue(key, out id);

    public void Add((Guid, string, string) key, long id)
    {
        if (_ids.Count >= MaxEntries)
        {
            _ids.Clear();
        }
        _ids[key] = id;
    }

    public void Evict(IEnumerable<(Guid, string, string)> keys)
    {
        foreach (var key in keys)
        {
            _ids.TryRemove(key, out _);
        }
    }
}
