using System.Globalization;
using System.Text.Json;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.Comet;

/// <summary>
/// Comet's project query: predicates over the columns <c>project/column-names</c> lists (metadata, tags, metrics by
/// their last value, parameters, others). Predicates are a list (all must hold) or a group
/// <c>{"condition": "AND"|"OR", "rules": [...]}</c>; a rule is <c>{field, source, operator, value}</c>.
/// </summary>
public static class CometQuery
{
    public static void Map(RouteGroupBuilder api) => api.MapPost("/project/query", Query).Documents<QueryRequest>();

    public sealed record QueryRequest(string? ProjectId, string? ProjectName, string? WorkspaceName, JsonElement Predicates, bool Archived);

    public sealed record QueryResponse(List<string> ExperimentKeys);

    private sealed record Row(Experiment Experiment, Dictionary<string, double> Metrics);

    public static async Task<QueryResponse> Query(
        HttpContext http, ProjectRepository projects, ReadSide reads, CancellationToken ct)
    {
        var (experiments, metrics) = (await reads.GetAsync<ExperimentRepository>(ct), await reads.GetAsync<MetricsStore>(ct));
        var request = await CometApi.ReadAsync<QueryRequest>(http);
        CometWorkspaces.RequireWorkspace(http, request.WorkspaceName);
        var project = await CometProjects.ResolveAsync(request.ProjectId, request.ProjectName, projects, ct);
        var predicate = Compile(request.Predicates);
        var found = (await CometExperiments.AllInProjectAsync(experiments, project.Id, includeParameters: true, ct))
            .Where(e => CometExperiments.IsArchived(e) == request.Archived)
            .ToList();
        var lastValues = (await metrics.SummariesAsync([.. found.Select(e => e.Id)], ct))
            .Where(s => s.Count > 0)
            .ToLookup(s => s.ExperimentId);
        return new QueryResponse([.. found
            .Where(e => predicate(new Row(e, lastValues[e.Id]
                .GroupBy(s => s.Metric).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Variant == s.Metric ? 0 : 1).First().LastValue))))
            .Select(e => CometApi.Key(e.Id))]);
    }

    private static Func<Row, bool> Compile(JsonElement predicates) => predicates.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => _ => true,
        JsonValueKind.String => Compile(Parse(predicates.GetString()!)),
        JsonValueKind.Array => All([.. predicates.EnumerateArray().Select(Compile)]),
        JsonValueKind.Object when predicates.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array =>
            Text(predicates, "condition")?.ToUpperInvariant() switch
            {
                null or "AND" => All([.. rules.EnumerateArray().Select(Compile)]),
                "OR" => Any([.. rules.EnumerateArray().Select(Compile)]),
                var other => throw CometException.BadRequest($"unknown condition '{other}'"),
            },
        JsonValueKind.Object => Rule(predicates),
        _ => throw CometException.BadRequest("predicates must be a list of rules or a group of rules"),
    };

    /// <summary>comet_ml may send the predicates as JSON text.</summary>
    private static JsonElement Parse(string text)
    {
        try
        {
            using var parsed = JsonDocument.Parse(text);
            return parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw CometException.BadRequest("predicates must be JSON");
        }
    }

    private static Func<Row, bool> All(Func<Row, bool>[] parts) => row => parts.All(p => p(row));

    private static Func<Row, bool> Any(Func<Row, bool>[] parts) => row => parts.Any(p => p(row));

    private static Func<Row, bool> Rule(JsonElement rule)
    {
        var field = Text(rule, "field") ?? Text(rule, "id")?.Split("--")[0] ?? throw CometException.MissingField("predicates.field");
        var source = Text(rule, "source") ?? Text(rule, "id")?.Split("--").ElementAtOrDefault(1) ?? "metadata";
        var op = (Text(rule, "operator") ?? "equal").ToLowerInvariant();
        var value = rule.TryGetProperty("value", out var v) ? Scalar(v) : null;
        Func<Row, IEnumerable<string?>> values = source switch
        {
            "metrics" => row => [row.Metrics.TryGetValue(field, out var last) ? last.ToString("R", CultureInfo.InvariantCulture) : null],
            "params" => row => [Parameter(row.Experiment, p => p.Section != CometParameters.OthersSection && CometMapping.ParameterName(p) == field)],
            "log_other" => row => [Parameter(row.Experiment, p => p.Section == CometParameters.OthersSection && p.Name == field)],
            "tag" => row => row.Experiment.Tags.Count == 0 ? [null] : row.Experiment.Tags.Cast<string?>(),
            "metadata" or "experiment" => row => [Metadata(row.Experiment, field)],
            _ => throw CometException.BadRequest($"unknown predicate source '{source}'"),
        };
        var test = Operator(op, value);
        return op.StartsWith("not_", StringComparison.Ordinal) || op is "is_null" or "is_empty"
            ? row => values(row).All(test)
            : row => values(row).Any(test);
    }

    private static Func<string?, bool> Operator(string op, string? value) => op switch
    {
        "equal" => x => x is not null && Compare(x, value) == 0,
        "not_equal" => x => x is null || Compare(x, value) != 0,
        "less" => x => x is not null && Compare(x, value) < 0,
        "less_or_equal" => x => x is not null && Compare(x, value) <= 0,
        "greater" => x => x is not null && Compare(x, value) > 0,
        "greater_or_equal" => x => x is not null && Compare(x, value) >= 0,
        "contains" => x => x is not null && x.Contains(Required(value), StringComparison.OrdinalIgnoreCase),
        "not_contains" => x => x is null || !x.Contains(Required(value), StringComparison.OrdinalIgnoreCase),
        "begins_with" => x => x is not null && x.StartsWith(Required(value), StringComparison.OrdinalIgnoreCase),
        "not_begins_with" => x => x is null || !x.StartsWith(Required(value), StringComparison.OrdinalIgnoreCase),
        "ends_with" => x => x is not null && x.EndsWith(Required(value), StringComparison.OrdinalIgnoreCase),
        "not_ends_with" => x => x is null || !x.EndsWith(Required(value), StringComparison.OrdinalIgnoreCase),
        "is_null" or "is_empty" => x => string.IsNullOrEmpty(x),
        "is_not_null" or "is_not_empty" => x => !string.IsNullOrEmpty(x),
        _ => throw CometException.BadRequest($"unknown operator '{op}'"),
    };

    /// <summary>Numbers compare as numbers, everything else as text.</summary>
    private static int Compare(string x, string? value)
    {
        var wanted = Required(value);
        return double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
                ? a.CompareTo(b)
                : string.Compare(x, wanted, StringComparison.Ordinal);
    }

    private static string Required(string? value) => value ?? throw CometException.MissingField("predicates.value");

    private static string? Parameter(Experiment e, Func<ExperimentParameter, bool> which) =>
        e.Parameters.FirstOrDefault(p => p.Kind == ParameterKind.Hyperparameter && which(p))?.Value;

    private static string? Metadata(Experiment e, string field) => field switch
    {
        "experimentKey" => CometApi.Key(e.Id),
        "experimentName" or "name" => e.Name,
        "startTime" => e.StartedAt is { } s ? CometMapping.Millis(s).ToString(CultureInfo.InvariantCulture) : null,
        "endTime" => e.CompletedAt is { } c ? CometMapping.Millis(c).ToString(CultureInfo.InvariantCulture) : null,
        "duration" => e.StartedAt is { } a && e.CompletedAt is { } b ? (CometMapping.Millis(b) - CometMapping.Millis(a)).ToString(CultureInfo.InvariantCulture) : null,
        _ => throw CometException.BadRequest($"unknown metadata column '{field}'"),
    };

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
