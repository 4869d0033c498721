using System.Text.Json;
using MlOps.Api.Mlflow.Contracts;
using MlOps.Data.Entities;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;
using Experiment = MlOps.Data.Entities.Experiment;

namespace MlOps.Api.Mlflow;

/// <summary>Our experiments as MLflow runs: info, latest metrics (the series summaries), params, tags and dataset inputs.</summary>
public sealed class MlflowRunViews(MetricsStore metrics, NameLookup names)
{
    /// <summary>The configuration item a dataset input is kept in is named with this prefix, the dataset and its digest.</summary>
    public const string DatasetPrefix = "MLflow dataset ";

    public async Task<Run> OneAsync(Experiment run, CancellationToken ct) => (await ManyAsync([run], ct))[0];

    public async Task<List<Run>> ManyAsync(IReadOnlyList<Experiment> runs, CancellationToken ct)
    {
        var ids = runs.Select(r => r.Id).ToList();
        var series = (await metrics.SummariesAsync(ids, ct)).ToLookup(s => s.ExperimentId);
        var users = await names.UsersAsync([.. runs.Where(r => r.UserId is not null).Select(r => r.UserId!.Value).Distinct()], ct);
        return [.. runs.Select(r => View(r, series[r.Id], r.UserId is { } user ? users.GetValueOrDefault(user) : null))];
    }

    public static RunInfo Info(Experiment run, string? userName) => new(
        MlflowMapping.Id(run.Id), MlflowMapping.Id(run.Id), run.Name, run.ProjectId is { } project ? MlflowMapping.Id(project) : MlflowMapping.DefaultExperimentId,
        userName ?? "", MlflowMapping.Status(run.Status), MlflowMapping.Millis(run.StartedAt ?? run.CreatedAt), MlflowMapping.Millis(run.CompletedAt),
        MlflowMapping.ArtifactUri(run.ProjectId, run.Id), MlflowMapping.LifecycleStage(run.SystemTags));

    private static Run View(Experiment run, IEnumerable<MetricSeries> series, string? userName)
    {
        var properties = run.Parameters.Where(IsProperty).ToDictionary(p => p.Name, p => p.Value ?? "");
        List<KeyValue> tags =
        [
            .. properties.Select(p => new KeyValue(p.Key, p.Value)),
            .. run.Tags.Where(t => !properties.ContainsKey(t)).Select(t => new KeyValue(t, "")),
            new KeyValue(MlflowMapping.RunNameTag, run.Name),
            .. string.IsNullOrEmpty(run.Comment) ? [] : new[] { new KeyValue(MlflowMapping.NoteTag, run.Comment) },
            .. properties.ContainsKey(MlflowMapping.UserTag) || userName is null ? [] : new[] { new KeyValue(MlflowMapping.UserTag, userName) },
        ];
        var parameters = run.Parameters.Where(p => p.Kind == ParameterKind.Hyperparameter && !IsProperty(p))
            .Select(p => new KeyValue(Platform.ParameterNames.Join(p), p.Value ?? "")).ToList();
        var latest = series.Select(s => new Metric(
            MlflowMapping.MetricKey(s.Metric, s.Variant), s.LastValue, MlflowMapping.Millis(s.LastTimestamp), Step(s.LastStep))).ToList();
        return new Run(Info(run, userName), new RunData(latest, parameters, tags), new RunInputs(Inputs(run)));
    }

    public static List<DatasetInput> Inputs(Experiment run) =>
        [.. run.Parameters.Where(p => p.Kind == ParameterKind.Configuration && p.Name.StartsWith(DatasetPrefix, StringComparison.Ordinal))
            .Select(p => JsonSerializer.Deserialize<DatasetInput>(p.Value ?? "{}", MlflowJson.Options)!)];

    public static bool IsProperty(ExperimentParameter parameter) =>
        parameter.Kind == ParameterKind.Hyperparameter && parameter.Section == ExperimentParameter.PropertiesSection;

    /// <summary>Comet's single values are stored at a sentinel step; MLflow shows them at step 0.</summary>
    public static long Step(long step) => step == MetricsReader.SingleValueStep ? 0 : step;
}
