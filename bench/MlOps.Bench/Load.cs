using System.Diagnostics;

namespace MlOps.Bench;

public sealed record LoadResult(long Requests, double Seconds, double P50Ms, double P99Ms, long Failures)
{
    public double PerSecond => Requests / Seconds;
}

/// <summary>Closed-loop load: each client sends its next request when the previous one is answered.</summary>
public static class Load
{
    public static async Task<LoadResult> RunAsync(HttpClient http, int clients, TimeSpan duration, Func<int, long, HttpRequestMessage> request)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[clients];
        var failures = 0L;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var mine = latencies[client] = new List<double>(100_000);
            for (long n = 0; Stopwatch.GetTimestamp() < deadline; n++)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request(client, n));
                await response.Content.LoadIntoBufferAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
                mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length, seconds, Percentile(all, 0.50), Percentile(all, 0.99), failures);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
}
