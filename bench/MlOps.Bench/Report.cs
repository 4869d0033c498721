using System.Globalization;

namespace MlOps.Bench;

/// <summary>The figures of one run, each beside its reference from the same run and the target it is held to.</summary>
public sealed class Report
{
    private readonly List<string[]> _rows = [];

    public void Add(string figure, double value, string unit, string reference = "", double? referenceValue = null, string target = "")
    {
        var ratio = referenceValue is { } r && r != 0 ? (value / r).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";
        _rows.Add([figure, Format(value) + " " + unit, reference, ratio, target]);
        Console.WriteLine($"  = {figure}: {Format(value)} {unit}{(ratio.Length > 0 ? $" ({ratio} {reference})" : "")}");
    }

    public string Markdown() =>
        "| figure | value | reference | ratio | target |\n|---|---|---|---|---|\n" +
        string.Concat(_rows.Select(r => "| " + string.Join(" | ", r) + " |\n"));

    public static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
