namespace MlOps.Data.Metrics;

/// <summary>What ingest has committed since the process started (the server exports it at <c>/metrics</c>).</summary>
public static class IngestMetrics
{
    private static long _points;
    private static long _events;

    public static long Points => Interlocked.Read(ref _points);

    public static long Events => Interlocked.Read(ref _events);

    internal static void Committed(int points, int events)
    {
        Interlocked.Add(ref _points, points);
        Interlocked.Add(ref _events, events);
    }
}
