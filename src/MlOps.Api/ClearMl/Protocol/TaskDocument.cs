using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

public sealed record ParamItem(string? Section, string? Name, string? Value, string? Type, string? Description);

public sealed record ConfigurationItem(string? Name, string? Value, string? Type, string? Description);

public sealed record LastMetricsEvent(
    string Metric, string Variant, double Value, double MinValue, long MinValueIteration,
    double MaxValue, long MaxValueIteration, long Count, long Iter, DateTime Timestamp);

/// <summary>A ClearML task as <c>tasks.get_by_id</c> returns it.</summary>
public sealed record TaskDocument(
    string Id,
    string Name,
    string? User,
    string Company,
    string Type,
    string Status,
    string? StatusReason,
    string? StatusMessage,
    DateTime? StatusChanged,
    string? Comment,
    DateTime Created,
    DateTime? Started,
    DateTime? Completed,
    DateTime? Published,
    DateTime LastUpdate,
    DateTime? LastChange,
    string? LastChangedBy,
    string? Project,
    string? Parent,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> SystemTags,
    JsonObject Script,
    JsonObject Runtime,
    JsonObject Execution,
    JsonObject Output,
    JsonObject Container,
    JsonObject Models,
    Dictionary<string, Dictionary<string, ParamItem>> Hyperparams,
    Dictionary<string, ConfigurationItem> Configuration,
    long LastIteration,
    string? LastWorker,
    DateTime? LastWorkerReport,
    Dictionary<string, Dictionary<string, LastMetricsEvent>> LastMetrics,
    string? Report,
    IReadOnlyList<string>? ReportAssets)
{
    public static TaskDocument From(Experiment e, IEnumerable<MetricSeries> series) => new(
        e.Id.ToString("N"),
        e.Name,
        e.UserId?.ToString("N"),
        e.WorkspaceId.ToString("N"),
        e.Type,
        TaskStatusNames.ToWire(e.Status),
        e.StatusReason,
        e.StatusMessage,
        e.StatusChangedAt,
        e.Comment,
        e.CreatedAt,
        e.StartedAt,
        e.CompletedAt,
        e.PublishedAt,
        e.LastUpdate,
        e.LastChangedAt,
        e.LastChangedBy?.ToString("N"),
        e.ProjectId?.ToString("N"),
        e.ParentId?.ToString("N"),
        [.. e.Tags.Order(StringComparer.Ordinal)],
        [.. e.SystemTags.Order(StringComparer.Ordinal)],
        JsonText.ObjectOrEmpty(e.Script),
        JsonText.ObjectOrEmpty(e.Runtime),
        WithQueue(JsonText.ObjectOrEmpty(e.Execution), e.QueueId),
        JsonText.ObjectOrEmpty(e.Output),
        JsonText.ObjectOrEmpty(e.Container),
        WithModelLists(JsonText.ObjectOrEmpty(e.Models)),
        e.Parameters.Where(p => p.Kind == ParameterKind.Hyperparameter)
            .GroupBy(p => p.Section)
            .ToDictionary(g => g.Key, g => g.ToDictionary(p => p.Name, p => new ParamItem(p.Section, p.Name, p.Value, p.Type, p.Description))),
        e.Parameters.Where(p => p.Kind == ParameterKind.Configuration)
            .ToDictionary(p => p.Name, p => new ConfigurationItem(p.Name, p.Value, p.Type, p.Description)),
        e.LastIteration,
        e.LastWorker,
        e.LastWorkerReportAt,
        series.GroupBy(s => s.Metric).ToDictionary(
            g => MetricKey(g.Key),
            g => g.ToDictionary(s => MetricKey(s.Variant), s => new LastMetricsEvent(
                s.Metric, s.Variant, s.LastValue, s.MinValue, s.MinStep, s.MaxValue, s.MaxStep, s.Count, s.LastStep, s.LastTimestamp))),
        e.Report,
        e.Type == Data.Repositories.ReportRepository.ReportType ? e.ReportAssets : null);

    /// <summary>The experiment documents the fields a list request shows need; the others are not read.</summary>
    public static ExperimentDocuments DocumentsFor(ListRequest request)
    {
        var everything = request.OnlyFields?.Contains("*") == true;
        bool shows(string field) => everything || request.Wants(field);
        return (shows("script") ? ExperimentDocuments.Script : 0)
            | (shows("runtime") ? ExperimentDocuments.Runtime : 0)
            | (shows("execution") ? ExperimentDocuments.Execution : 0)
            | (shows("output") ? ExperimentDocuments.Output : 0)
            | (shows("container") ? ExperimentDocuments.Container : 0)
            | (shows("models") ? ExperimentDocuments.Models : 0)
            | (shows("report") || shows("report_assets") ? ExperimentDocuments.Report : 0);
    }

    /// <summary>
    /// The queue the experiment waits in is kept on the row; ClearML shows it as execution.queue. Like
    /// ClearML, execution always has an artifacts list (the SDK iterates it unguarded), and every artifact
    /// has its mode and display data (the web UI's comparison iterates those unguarded).
    /// </summary>
    private static JsonObject WithQueue(JsonObject execution, Guid? queueId)
    {
        execution["artifacts"] ??= new JsonArray();
        foreach (var artifact in execution["artifacts"] as JsonArray ?? [])
        {
            if (artifact is JsonObject item)
            {
                item["mode"] ??= "output";
                item["display_data"] ??= new JsonArray();
            }
        }
        if (queueId is { } queue)
        {
            execution["queue"] = queue.ToString("N");
        }
        return execution;
    }

    private static JsonObject WithModelLists(JsonObject models)
    {
        models["input"] ??= new JsonArray();
        models["output"] ??= new JsonArray();
        return models;
    }

    /// <summary>ClearML keys last_metrics (and names metric hashes) by the MD5 of metric and variant names.</summary>
    public static string MetricKey(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>ClearML's status words for the shared <see cref="ExperimentStatus"/>.</summary>
public static class TaskStatusNames
{
    private static readonly Dictionary<ExperimentStatus, string> Names = new()
    {
        [ExperimentStatus.Created] = "created",
        [ExperimentStatus.Queued] = "queued",
        [ExperimentStatus.InProgress] = "in_progress",
        [ExperimentStatus.Stopped] = "stopped",
        [ExperimentStatus.Published] = "published",
        [ExperimentStatus.Publishing] = "publishing",
        [ExperimentStatus.Closed] = "closed",
        [ExperimentStatus.Failed] = "failed",
        [ExperimentStatus.Completed] = "completed",
        [ExperimentStatus.Unknown] = "unknown",
    };

    private static readonly Dictionary<string, ExperimentStatus> ByName = Names.ToDictionary(p => p.Value, p => p.Key);

    public static string ToWire(ExperimentStatus status) => Names[status];

    public static ExperimentStatus FromWire(string name) =>
        ByName.TryGetValue(name, out var status)
            ? status
            : throw new ClearMlException(400, 16, $"invalid value for fields: status={name}");
}
