namespace MlOps.Api.ClearMl;

/// <summary>
/// The time range of ClearML's statistics calls (workers, queues, serving): <c>from_date</c> and <c>to_date</c> in seconds
/// since the epoch, <c>interval</c> seconds per point (at least the chart minimum), read as milliseconds.
/// </summary>
public static class StatisticsRange
{
    /// <summary>More points than any chart draws; a wider range needs a longer interval.</summary>
    private const long MaxBuckets = 100_000;

    public static (long FromMs, long ToMs, int Interval) Read(double? fromDate, double? toDate, int? interval, int minInterval)
    {
        var from = fromDate ?? throw ClearMlException.MissingField("from_date");
        var to = toDate ?? throw ClearMlException.MissingField("to_date");
        var step = interval ?? throw ClearMlException.MissingField("interval");
        if (from < 0 || to < 0 || from > 253402300799 || to > 253402300799)
        {
            throw ClearMlException.Validation("from_date and to_date must be seconds since the epoch");
        }
        if (step < 1)
        {
            throw ClearMlException.Validation("interval must be at least 1");
        }
        if (from >= to)
        {
            throw new ClearMlException(400, 16, "invalid value for fields: from_date must be less than to_date");
        }
        var effective = Math.Max(step, minInterval);
        if ((to - from) / effective > MaxBuckets)
        {
            throw ClearMlException.Validation($"the range holds more than {MaxBuckets} intervals; ask for a longer interval");
        }
        return ((long)(from * 1000), (long)(to * 1000), effective);
    }
}
