using System.Globalization;
using System.Text.RegularExpressions;

namespace MlOps.Bench;

/// <summary>The server's time per ingest stage, read from its <c>mlops_ingest_stage_seconds_total</c> counters at <c>/metrics</c>.</summary>
public static partial class IngestStages
{
    public static readonly string[] Names = ["parse", "prepare", "points", "summaries", "commit"];

    public static async Task<Dictionary<string, double>> ReadAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        return Counter().Matches(text).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Milliseconds per request spent in each stage between two readings.</summary>
    public static Dictionary<string, double> PerRequest(Dictionary<string, double> before, Dictionary<string, double> after, int requests) =>
        Names.ToDictionary(n => n, n => (after.GetValueOrDefault(n) - before.GetValueOrDefault(n)) * 1000 / requests);

    [GeneratedRegex("""^mlops_ingest_stage_seconds_total\{stage="(\w+)"\} (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex Counter();
}
