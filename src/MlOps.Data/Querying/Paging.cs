namespace MlOps.Data.Querying;

/// <summary>One ORDER BY term: a field name the repository knows, and its direction.</summary>
public sealed record SortKey(string Field, bool Descending)
{
    /// <summary>Set when the term orders experiments by a summary of one of their series instead of a field.</summary>
    public SeriesSort? Series { get; init; }
}

/// <summary>Which running summary of a series to order by.</summary>
public enum SeriesSummary
{
    Last,
    Min,
    Max,
}

/// <summary>Orders experiments by a summary of their (metric, variant) series; those without that series count as the least.</summary>
public sealed record SeriesSort(string Metric, string Variant, SeriesSummary Summary);

/// <summary>A window of a result: rows to skip, and at most <see cref="MaxSize"/> rows to take.</summary>
public sealed record Page
{
    public const int MaxSize = 500;

    public static readonly Page First = new(0, MaxSize);

    public Page(int skip, int take)
    {
        Skip = skip;
        Take = Math.Min(take, MaxSize);
    }

    public int Skip { get; }

    public int Take { get; }

    /// <summary>Zero-based page <paramref name="number"/> of <paramref name="size"/> rows (the maximum when null).</summary>
    public static Page Numbered(int number, int? size)
    {
        var take = Math.Min(size ?? MaxSize, MaxSize);
        return new Page(number * take, take);
    }
}
