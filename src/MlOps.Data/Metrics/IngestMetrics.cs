using System.Diagnostics;

namespace MlOps.Data.Metrics;

/// <summary>The stages a batch of reports passes through, timed so the share of each can be read at <c>/metrics</c>.</summary>
public enum IngestStage
{
    /// <summary>Reading the request's reports (the surface's own format) into points and events.</summary>
    Parse,
    /// <summary>Receipts, series ids, experiment checks and row locks, before any point is written.</summary>
    Prepare,
    /// <summary>Writing the points and events (binary COPY on PostgreSQL).</summary>
    Points,
    /// <summary>The tier, series summary and last-iteration statements.</summary>
    Summaries,
    Commit,
}

/// <summary>What ingest has committed since the process started, and the time spent in each stage (the server exports both at <c>/metrics</c>).</summary>
public static class IngestMetrics
{
    private static long _points;
    private static long _events;
    private static readonly long[] StageTicks = new long[Enum.GetValues<IngestStage>().Length];

    public static long Points => Interlocked.Read(ref _points);

    public static long Events => Interlocked.Read(ref _events);

    /// <summary>Adds the time since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) to the stage; returns now, the next stage's start.</summary>
    public static long Spent(IngestStage stage, long started)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref StageTicks[(int)stage], now - started);
        return now;
    }

    public static double SecondsIn(IngestStage stage) => (double)Interlocked.Read(ref StageTicks[(int)stage]) / Stopwatch.Frequency;

    internal static void Committed(int points, int events)
    {
        Interlocked.Add(ref _points, points);
        Interlocked.Add(ref _events, events);
    }
}
