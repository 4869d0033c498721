using MlOps.Data.Querying;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// <c>order_by: ["-last_metrics.&lt;md5 metric&gt;.&lt;md5 variant&gt;.value"]</c>: tasks ordered by a metric's last, min or
/// max value, keyed as in <c>last_metrics</c> (how the HyperParameterOptimizer asks for its top experiments, and how the
/// web UI sorts by a metric column). The hashes are matched against the workspace's series names.
/// </summary>
public static class LastMetricsOrder
{
    private const string Prefix = "last_metrics.";

    public static async Task<IReadOnlyList<SortKey>?> ResolveAsync(IReadOnlyList<SortKey>? keys, ExperimentRepository tasks, CancellationToken ct)
    {
        if (keys is null || !keys.Any(k => k.Field.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            return keys;
        }
        var names = (await tasks.SeriesNamesAsync(ct))
            .ToLookup(n => (TaskDocument.MetricKey(n.Metric), TaskDocument.MetricKey(n.Variant)));
        return [.. keys.Select(key => Resolve(key, names))];
    }

    /// <summary>A series key for a metric that exists; any other <c>last_metrics</c> key orders nothing (like a missing field).</summary>
    private static SortKey Resolve(SortKey key, ILookup<(string, string), (string Metric, string Variant)> names)
    {
        if (!key.Field.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return key;
        }
        var parts = key.Field[Prefix.Length..].Split('.');
        SeriesSummary? summary = parts.Length == 3 ? parts[2] switch
        {
            "value" => SeriesSummary.Last,
            "min_value" => SeriesSummary.Min,
            "max_value" => SeriesSummary.Max,
            _ => null,
        } : null;
        return summary is { } which && names[(parts[0], parts[1])].FirstOrDefault() is { Metric: not null } name
            ? key with { Series = new SeriesSort(name.Metric, name.Variant, which) }
            : key;
    }
}
