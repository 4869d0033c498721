using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Replication;

namespace MlOps.Data.Metrics;

/// <summary>A metric and some of its variants; no variants means all of them.</summary>
public sealed record MetricSelector(string Metric, IReadOnlyList<string>? Variants);

/// <summary>The last point of a scalar page, in (series, step, id) order.</summary>
public sealed record PointCursor(long SeriesId, long Step, long Id);

/// <summary>The last event of an event page, in (timestamp, id) order.</summary>
public sealed record EventCursor(DateTime Timestamp, long Id);

/// <summary>One point of a downsampled curve: the first step and time of its bucket, and the bucket's mean value.</summary>
public sealed record HistogramPoint(long SeriesId, long Step, DateTime Timestamp, double Value);

/// <summary>The mean of a series' last <see cref="MetricsReader.RecentWindow"/> values (null when it has none).</summary>
public sealed record RecentValues(long SeriesId, double? RecentAverage);

/// <summary>
/// The read side of the time-series and events tables: heavy reads, so every query runs on the request's
/// <see cref="ReadSide"/> (the read replica when it may), under the workspace filter of that context; pages continue
/// after the last row seen (keyset), never by offset, so they stay complete and stable while reports keep arriving.
/// </summary>
public sealed class MetricsReader(ReadSide reads)
{
    /// <summary>The iteration ClearML reports single values at (<c>report_single_value</c>).</summary>
    public const long SingleValueStep = int.MinValue;

    public const int RecentWindow = 100;

    public async Task<List<MetricSeries>> SeriesAsync(IReadOnlyCollection<Guid> experimentIds, IReadOnlyList<MetricSelector>? selectors, CancellationToken ct)
    {
        var db = await reads.ContextAsync(ct);
        var series = db.MetricSeries.AsNoTracking().Where(s => experimentIds.Contains(s.ExperimentId));
        if (Selection.Of(selectors) is { } selection)
        {
            series = series.Where(s => selection.Whole.Contains(s.Metric) || selection.Pairs.Contains(s.Metric + Selection.Separator + s.Variant));
        }
        return await series.OrderBy(s => s.Id).ToListAsync(ct);
    }

    /// <summary>
    /// Each series' curve without its single values: one point per step when it has no more points than
    /// <paramref name="samples"/>, else at most that many buckets of equal step width, averaged. Curves long enough
    /// to span <paramref name="samples"/> tier rows (one per <see cref="MetricTier.Width"/> steps, summed at ingest)
    /// are read from the tiers, with bucket widths a multiple of the tier's, at a sixteenth of the cost. Each series'
    /// points come together, in step order.
    /// </summary>
    public async Task<List<HistogramPoint>> HistogramAsync(IReadOnlyCollection<long> seriesIds, int samples, CancellationToken ct)
    {
        var db = await reads.ContextAsync(ct);
        var shapes = await db.MetricTiers.Where(t => seriesIds.Contains(t.SeriesId)).GroupBy(t => t.SeriesId)
            .Select(g => new { SeriesId = g.Key, Count = g.Sum(t => t.Count), FirstBucket = g.Min(t => t.Bucket), LastBucket = g.Max(t => t.Bucket) })
            .ToListAsync(ct);
        var exact = shapes.Where(s => s.Count <= samples).Select(s => s.SeriesId).ToList();
        var curves = exact.Count == 0 ? [] : await db.MetricPoints
            .Where(p => exact.Contains(p.SeriesId) && p.Step != SingleValueStep)
            .GroupBy(p => new { p.SeriesId, p.Step })
            .OrderBy(g => g.Key.SeriesId).ThenBy(g => g.Key.Step)
            .Select(g => new HistogramPoint(g.Key.SeriesId, g.Key.Step, g.Min(p => p.Timestamp), g.Average(p => p.Value)))
            .ToListAsync(ct);
        var shortCurves = shapes.Where(s => s.Count > samples && 2 * (s.LastBucket - s.FirstBucket + 1) < samples).Select(s => s.SeriesId).ToList();
        if (shortCurves.Count > 0)
        {
            curves.AddRange(await PointBucketsAsync(db, shortCurves, samples, ct));
        }
        var bucketed = shapes.Where(s => s.Count > samples && 2 * (s.LastBucket - s.FirstBucket + 1) >= samples)
            .GroupBy(s => (s.FirstBucket, Width: (s.LastBucket - s.FirstBucket + samples) / samples), s => s.SeriesId);
        foreach (var group in bucketed)
        {
            var ids = group.ToList();
            var (first, width) = group.Key;
            var tiers = db.MetricTiers.Where(t => ids.Contains(t.SeriesId));
            curves.AddRange(width == 1 // one tier row per bucket: no grouping to do
                ? await tiers.OrderBy(t => t.SeriesId).ThenBy(t => t.Bucket) // the key's order: no sort
                    .Select(t => new HistogramPoint(t.SeriesId, t.FirstStep, t.FirstTimestamp, t.Sum / t.Count)).ToListAsync(ct)
                : await tiers.GroupBy(t => new { t.SeriesId, Bucket = (t.Bucket - first) / width })
                    .OrderBy(g => g.Key.SeriesId).ThenBy(g => g.Key.Bucket)
                    .Select(g => new HistogramPoint(g.Key.SeriesId, g.Min(t => t.FirstStep), g.Min(t => t.FirstTimestamp), g.Sum(t => t.Sum) / g.Sum(t => t.Count)))
                    .ToListAsync(ct));
        }
        return curves;
    }

    /// <summary>Buckets of equal step width straight from the points: span / width &lt; samples, so no more buckets than asked for.</summary>
    private static Task<List<HistogramPoint>> PointBucketsAsync(MlOpsDbContext db, IReadOnlyCollection<long> seriesIds, int samples, CancellationToken ct)
    {
        var points = db.MetricPoints.Where(p => seriesIds.Contains(p.SeriesId) && p.Step != SingleValueStep);
        var widths = points.GroupBy(p => p.SeriesId).Select(g => new
        {
            SeriesId = g.Key,
            First = g.Min(p => p.Step),
            Width = (g.Max(p => p.Step) - g.Min(p => p.Step)) / samples + 1,
        });
        return points
            .Join(widths, p => p.SeriesId, w => w.SeriesId, (p, w) => new { p.SeriesId, Bucket = (p.Step - w.First) / w.Width, p.Step, p.Timestamp, p.Value })
            .GroupBy(x => new { x.SeriesId, x.Bucket })
            .OrderBy(g => g.Key.SeriesId).ThenBy(g => g.Key.Bucket)
            .Select(g => new HistogramPoint(g.Key.SeriesId, g.Min(x => x.Step), g.Min(x => x.Timestamp), g.Average(x => x.Value)))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The next <paramref name="take"/> points of the given series after <paramref name="after"/>, ordered by
    /// series id, then step, then point id (reversed when <paramref name="descending"/>).
    /// </summary>
    public async Task<List<MetricPoint>> PointPageAsync(
        IReadOnlyList<MetricSeries> series, PointCursor? after, bool descending, int take, CancellationToken ct)
    {
        var db = await reads.ContextAsync(ct);
        var pending = (descending ? series.OrderByDescending(s => s.Id) : series.OrderBy(s => s.Id))
            .SkipWhile(s => after is not null && (descending ? s.Id > after.SeriesId : s.Id < after.SeriesId))
            .ToList();
        var page = new List<MetricPoint>();
        if (after is not null && pending.Count > 0 && pending[0].Id == after.SeriesId)
        {
            page.AddRange(await Ordered(RestOfSeries(db, after, descending), descending).Take(take).ToListAsync(ct));
            pending.RemoveAt(0);
        }
        while (page.Count < take && pending.Count > 0)
        {
            // The running counts say how many series the page needs, so the query reads only those.
            var needed = take - page.Count;
            var chunk = new List<long>();
            for (long expected = 0; pending.Count > 0 && expected < needed; pending.RemoveAt(0))
            {
                expected += pending[0].Count;
                chunk.Add(pending[0].Id);
            }
            page.AddRange(await Ordered(db.MetricPoints.AsNoTracking().Where(p => chunk.Contains(p.SeriesId)), descending).Take(needed).ToListAsync(ct));
        }
        return page;
    }

    public async Task<List<MetricPoint>> SingleValuesAsync(IReadOnlyCollection<long> seriesIds, CancellationToken ct) =>
        await (await reads.ContextAsync(ct)).MetricPoints.AsNoTracking()
            .Where(p => seriesIds.Contains(p.SeriesId) && p.Step == SingleValueStep)
            .OrderBy(p => p.Id)
            .ToListAsync(ct);

    public async Task<List<RecentValues>> RecentAveragesAsync(IReadOnlyCollection<long> seriesIds, CancellationToken ct)
    {
        var db = await reads.ContextAsync(ct);
        return await db.MetricSeries.Where(s => seriesIds.Contains(s.Id))
            .Select(s => new RecentValues(s.Id, db.MetricPoints
                .Where(p => p.SeriesId == s.Id && p.Step != SingleValueStep)
                .OrderByDescending(p => p.Step).ThenByDescending(p => p.Id)
                .Take(RecentWindow)
                .Average(p => (double?)p.Value)))
            .ToListAsync(ct);
    }

    /// <summary>The next events after <paramref name="after"/> in (timestamp, id) order (reversed when <paramref name="descending"/>).</summary>
    public async Task<List<ExperimentEvent>> EventPageAsync(
        Guid experimentId, EventKind? kind, IReadOnlyList<MetricSelector>? selectors, EventCursor? after, bool descending, int take, CancellationToken ct)
    {
        var events = Events(await reads.ContextAsync(ct), [experimentId], kind, selectors);
        if (after is not null)
        {
            events = descending
                ? events.Where(e => e.Timestamp < after.Timestamp || (e.Timestamp == after.Timestamp && e.Id < after.Id))
                : events.Where(e => e.Timestamp > after.Timestamp || (e.Timestamp == after.Timestamp && e.Id > after.Id));
        }
        return await Ordered(events, descending).Take(take).ToListAsync(ct);
    }

    /// <summary>
    /// Console lines strictly before (<paramref name="earlier"/>) or after <paramref name="from"/>, nearest first;
    /// the lines sharing the last line's timestamp all come along, because the next call navigates by time alone.
    /// </summary>
    public async Task<List<ExperimentEvent>> LogPageAsync(Guid experimentId, DateTime? from, bool earlier, int take, CancellationToken ct)
    {
        var start = from is { } time ? new EventCursor(time, earlier ? long.MinValue : long.MaxValue) : null;
        var page = await EventPageAsync(experimentId, EventKind.Log, null, start, earlier, take, ct);
        if (page.Count == take && take > 0)
        {
            var last = page[^1];
            var sameTime = Events(await reads.ContextAsync(ct), [experimentId], EventKind.Log, null).Where(e => e.Timestamp == last.Timestamp);
            sameTime = earlier ? sameTime.Where(e => e.Id < last.Id) : sameTime.Where(e => e.Id > last.Id);
            page.AddRange(await Ordered(sameTime, earlier).ToListAsync(ct));
        }
        return page;
    }

    public async Task<int> CountEventsAsync(Guid experimentId, EventKind? kind, IReadOnlyList<MetricSelector>? selectors, CancellationToken ct) =>
        await Events(await reads.ContextAsync(ct), [experimentId], kind, selectors).CountAsync(ct);

    /// <summary>The distinct metric names each experiment reported events of the kinds for.</summary>
    public async Task<List<(Guid ExperimentId, string Metric)>> EventMetricsAsync(
        IReadOnlyCollection<Guid> experimentIds, IReadOnlyCollection<EventKind> kinds, CancellationToken ct) =>
        [.. (await EventMetricVariantsAsync(experimentIds, kinds, ct)).Select(r => (r.ExperimentId, r.Metric)).Distinct()];

    /// <summary>The distinct (experiment, metric, variant) of the experiments' events of those kinds.</summary>
    public async Task<List<(Guid ExperimentId, string Metric, string Variant)>> EventMetricVariantsAsync(
        IReadOnlyCollection<Guid> experimentIds, IReadOnlyCollection<EventKind> kinds, CancellationToken ct)
    {
        var rows = await Events(await reads.ContextAsync(ct), experimentIds, null, null)
            .Where(e => kinds.Contains(e.Kind))
            .Select(e => new { e.ExperimentId, Metric = e.Metric ?? "", Variant = e.Variant ?? "" })
            .Distinct()
            .ToListAsync(ct);
        return [.. rows.Select(r => (r.ExperimentId, r.Metric, r.Variant))];
    }

    /// <summary>For each experiment, metric and variant, its events of the last <paramref name="iterations"/> iterations, latest first.</summary>
    public async Task<List<ExperimentEvent>> LatestPerVariantAsync(
        IReadOnlyCollection<Guid> experimentIds, EventKind kind, IReadOnlyList<MetricSelector>? selectors, int iterations, CancellationToken ct)
    {
        var events = Events(await reads.ContextAsync(ct), experimentIds, kind, selectors);
        var headers = await events.Select(e => new { e.Id, e.ExperimentId, e.Metric, e.Variant, Iteration = e.Iteration ?? 0 }).ToListAsync(ct);
        var chosen = headers.GroupBy(h => (h.ExperimentId, h.Metric, h.Variant))
            .SelectMany(g =>
            {
                var kept = g.Select(h => h.Iteration).Distinct().OrderDescending().Take(iterations).ToHashSet();
                return g.Where(h => kept.Contains(h.Iteration));
            })
            .Select(h => h.Id)
            .ToList();
        return await events.Where(e => chosen.Contains(e.Id)).OrderByDescending(e => e.Iteration ?? 0).ThenBy(e => e.Id).ToListAsync(ct);
    }

    /// <summary>Every event of the kind (debug images, plots) of the experiment as (iteration, metric, variant, event id), in that order.</summary>
    public async Task<List<(long Iteration, string Metric, string Variant, long Id)>> EventKeysAsync(Guid experimentId, EventKind kind, CancellationToken ct) =>
        [.. (await Events(await reads.ContextAsync(ct), [experimentId], kind, null)
                .Select(e => new { Iteration = e.Iteration ?? 0, Metric = e.Metric ?? "", Variant = e.Variant ?? "", e.Id })
                .ToListAsync(ct))
            .OrderBy(e => e.Iteration).ThenBy(e => e.Metric, StringComparer.Ordinal).ThenBy(e => e.Variant, StringComparer.Ordinal).ThenBy(e => e.Id)
            .Select(e => (e.Iteration, e.Metric, e.Variant, e.Id))];

    public async Task<ExperimentEvent> EventAsync(long id, CancellationToken ct) =>
        await (await reads.ContextAsync(ct)).Events.AsNoTracking().SingleAsync(e => e.Id == id, ct);

    public async Task<List<ExperimentEvent>> EventsAsync(IReadOnlyCollection<long> ids, CancellationToken ct) =>
        await (await reads.ContextAsync(ct)).Events.AsNoTracking().Where(e => ids.Contains(e.Id)).OrderBy(e => e.Id).ToListAsync(ct);

    /// <summary>
    /// The experiment's events of the kind in the next <paramref name="iterations"/> distinct iterations below
    /// <paramref name="below"/> (latest first) or, when <paramref name="earlier"/> is false, above <paramref name="above"/>.
    /// </summary>
    public async Task<List<ExperimentEvent>> IterationWindowAsync(
        Guid experimentId, EventKind kind, IReadOnlyList<MetricSelector>? selectors, bool earlier, long? below, long? above, int iterations, CancellationToken ct)
    {
        var events = Events(await reads.ContextAsync(ct), [experimentId], kind, selectors);
        if (earlier && below is { } max)
        {
            events = events.Where(e => (e.Iteration ?? 0) < max);
        }
        if (!earlier && above is { } min)
        {
            events = events.Where(e => (e.Iteration ?? 0) > min);
        }
        var distinct = events.Select(e => e.Iteration ?? 0).Distinct();
        var chosen = await (earlier ? distinct.OrderByDescending(i => i) : distinct.OrderBy(i => i)).Take(iterations).ToListAsync(ct);
        return await events.Where(e => chosen.Contains(e.Iteration ?? 0)).OrderBy(e => e.Id).ToListAsync(ct);
    }

    private static IQueryable<ExperimentEvent> Events(MlOpsDbContext db, IReadOnlyCollection<Guid> experimentIds, EventKind? kind, IReadOnlyList<MetricSelector>? selectors)
    {
        var events = db.Events.AsNoTracking().Where(e => experimentIds.Contains(e.ExperimentId));
        if (kind is { } only)
        {
            events = events.Where(e => e.Kind == only);
        }
        return Selection.Of(selectors) is { } selection
            ? events.Where(e => selection.Whole.Contains(e.Metric!) || selection.Pairs.Contains(e.Metric + Selection.Separator + e.Variant))
            : events;
    }

    private static IQueryable<MetricPoint> RestOfSeries(MlOpsDbContext db, PointCursor after, bool descending) =>
        descending
            ? db.MetricPoints.AsNoTracking().Where(p => p.SeriesId == after.SeriesId && (p.Step < after.Step || (p.Step == after.Step && p.Id < after.Id)))
            : db.MetricPoints.AsNoTracking().Where(p => p.SeriesId == after.SeriesId && (p.Step > after.Step || (p.Step == after.Step && p.Id > after.Id)));

    private static IQueryable<MetricPoint> Ordered(IQueryable<MetricPoint> points, bool descending) =>
        descending
            ? points.OrderByDescending(p => p.SeriesId).ThenByDescending(p => p.Step).ThenByDescending(p => p.Id)
            : points.OrderBy(p => p.SeriesId).ThenBy(p => p.Step).ThenBy(p => p.Id);

    private static IQueryable<ExperimentEvent> Ordered(IQueryable<ExperimentEvent> events, bool descending) =>
        descending
            ? events.OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
            : events.OrderBy(e => e.Timestamp).ThenBy(e => e.Id);
}

/// <summary>Selectors as two lists a query can test: metrics taken whole, and metric-variant keys.</summary>
internal sealed record Selection(List<string> Whole, List<string> Pairs)
{
    /// <summary>Separates metric from variant in a key; a control character no name is expected to contain.</summary>
    public const string Separator = "\u001f";

    public static Selection? Of(IReadOnlyList<MetricSelector>? selectors) =>
        selectors is not { Count: > 0 }
            ? null
            : new Selection(
                selectors.Where(s => s.Variants is not { Count: > 0 }).Select(s => s.Metric).ToList(),
                selectors.Where(s => s.Variants is { Count: > 0 }).SelectMany(s => s.Variants!.Select(v => s.Metric + Separator + v)).ToList());
}
