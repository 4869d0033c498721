using System.Diagnostics;

namespace MlOps.Bench;

public static class Timing
{
    /// <summary>Median of five timed runs after one untimed one, in milliseconds.</summary>
    public static async Task<double> MedianAsync(Func<Task> read)
    {
        await read();
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            await read();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(2);
    }
}
