using System.Collections.Concurrent;

namespace MlOps.Data.Metrics;

public readonly record struct SeriesKey(Guid WorkspaceId, Guid ExperimentId, string Metric, string Variant);

/// <summary>
/// Series ids by (workspace, experiment, metric, variant), so steady-state ingest skips the series upsert. An entry
/// is only added after a lookup scoped to its workspace, so a hit proves the series is that workspace's. An id never
/// changes while its series exists; a series deleted behind the cache (its experiment reset or deleted, on any
/// replica) makes the next insert fail its foreign key, and the writer then evicts and looks the ids up again.
/// </summary>
public sealed class SeriesIdCache
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<SeriesKey, long> _ids = new();

    public bool TryGet(SeriesKey key, out long id) => _ids.TryGetValue(key, out id);

    public void Add(SeriesKey key, long id)
    {
        if (_ids.Count >= MaxEntries)
        {
            _ids.Clear();
        }
        _ids[key] = id;
    }

    public void Evict(IEnumerable<SeriesKey> keys)
    {
        foreach (var key in keys)
        {
            _ids.TryRemove(key, out _);
        }
    }
}
