namespace MlOps.Data.Entities;

/// <summary>
/// A coarse tier of the time-series table: the points of one series whose steps fall in one bucket of
/// <see cref="Width"/> steps, summed at ingest so long curves are downsampled without reading every point.
/// </summary>
public sealed class MetricTier : IWorkspaceOwned
{
    public const int Width = 16;

    public Guid WorkspaceId { get; set; }
    public long SeriesId { get; set; }
    /// <summary>floor(step / <see cref="Width"/>).</summary>
    public long Bucket { get; set; }
    public long Count { get; set; }
    public double Sum { get; set; }
    public long FirstStep { get; set; }
    public DateTime FirstTimestamp { get; set; }

    public static long BucketOf(long step) => (long)Math.Floor(step / (double)Width);
}
