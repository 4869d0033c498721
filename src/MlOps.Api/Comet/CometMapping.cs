using MlOps.Data.Entities;

namespace MlOps.Api.Comet;

/// <summary>
/// How Comet's names map onto the shared model (and so onto ClearML), in one place:
/// <list type="bullet">
/// <item>metric <c>(metricName, context)</c> is series <c>(metric, variant)</c>; without a context the variant is the
/// metric name itself (ClearML's convention for a single-series title), read back as no context;</item>
/// <item>parameter <c>"section/name"</c> is hyperparameter (section, name); a name without "/" lives in section
/// <c>General</c> (where ClearML's <c>task.connect(dict)</c> puts it) and reads back without the prefix;</item>
/// <item>an experiment is running while its status is in_progress, crashed when failed, archived when system-tagged so.</item>
/// </list>
/// </summary>
public static class CometMapping
{
    public const string DefaultSection = Platform.ParameterNames.DefaultSection;

    public static (string Metric, string Variant) Series(string metricName, string? context) =>
        (metricName, string.IsNullOrEmpty(context) ? metricName : context);

    public static string? Context(MetricSeries series) => series.Variant == series.Metric ? null : series.Variant;

    public static (string Section, string Name) Parameter(string name) => Platform.ParameterNames.Split(name);

    public static string ParameterName(ExperimentParameter parameter) => Platform.ParameterNames.Join(parameter);

    public static string ParameterName(string section, string name) => Platform.ParameterNames.Join(section, name);

    /// <summary>A query-string flag: <c>true</c>/<c>false</c> in any casing (comet_ml sends Python's <c>True</c>/<c>False</c>).</summary>
    public static bool? Flag(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : bool.TryParse(text, out var flag) ? flag
        : throw CometException.BadRequest($"{field} must be true or false");

    public static long Millis(DateTime time) => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    public static DateTime Time(long millis) => DateTime.UnixEpoch.AddMilliseconds(millis);
}
