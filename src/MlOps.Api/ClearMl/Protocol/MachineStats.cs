using System.Text.Json.Nodes;

namespace MlOps.Api.ClearMl;

/// <summary>One reading of a machine's <c>machine_stats</c>: a number, or one number per device (CPU core, GPU).</summary>
public sealed record MachineReading(string Metric, IReadOnlyList<double> Values, bool PerDevice)
{
    public double Average => Values.Average();
}

/// <summary>
/// The <c>machine_stats</c> object agents (workers.status_report) and serving containers send: the readings of the
/// schema's fields, each a number or a list of numbers; other fields are ignored, a field that is not numeric is a 400.
/// </summary>
public static class MachineStats
{
    private static readonly string[] Fields =
    [
        "cpu_usage", "gpu_usage", "memory_used", "memory_free", "gpu_memory_free", "gpu_memory_used", "network_tx", "network_rx",
        "disk_free_home", "disk_free_temp", "disk_read", "disk_write", "cpu_temperature", "gpu_temperature",
    ];

    public static List<MachineReading> Read(JsonObject? stats)
    {
        var readings = new List<MachineReading>();
        foreach (var field in Fields)
        {
            switch (stats?[field])
            {
                case null:
                    break;
                case JsonArray list:
                    var values = list.Select(v => Number(field, v)).ToList();
                    if (values.Count > 0)
                    {
                        readings.Add(new MachineReading(field, values, true));
                    }
                    break;
                case var single:
                    readings.Add(new MachineReading(field, [Number(field, single)], false));
                    break;
            }
        }
        return readings;
    }

    private static double Number(string field, JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) && double.IsFinite(number)
            ? number
            : throw ClearMlException.Validation($"invalid value for field 'machine_stats.{field}': numbers expected");
}
