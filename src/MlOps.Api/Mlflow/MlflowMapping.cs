using MlOps.Data.Entities;

namespace MlOps.Api.Mlflow;

/// <summary>
/// How MLflow's objects map onto the shared model, in one place:
/// <list type="bullet">
/// <item>an experiment is a project, a run an experiment (a ClearML task, a Comet experiment), both with their 32-hex
/// ids; experiment <c>"0"</c>, MLflow's default, is the project named <see cref="DefaultExperimentName"/>;</item>
/// <item>lifecycle <c>deleted</c> is the <c>archived</c> system tag, on projects and runs alike;</item>
/// <item>status RUNNING is in_progress, SCHEDULED created or queued, FINISHED completed (or published, closed), FAILED
/// failed, KILLED stopped;</item>
/// <item>metric key <c>"a/b"</c> is series (a, b), a key without "/" the series (key, key), as ClearML's TensorBoard
/// binding and Comet's metrics without a context name them;</item>
/// <item>params are hyperparameters (named as <see cref="Platform.ParameterNames"/> says); run tags are the run's
/// properties (Comet's others), except <c>mlflow.runName</c> (the name), <c>mlflow.note.content</c> (the comment)
/// and tags with an empty value, which are the run's plain tags (ClearML's and Comet's tags);</item>
/// <item>experiment tags are the project's properties, <c>mlflow.note.content</c> its description; registered model
/// and version tags their properties; a version's source and run are the experiment model it points at (its URI and
/// experiment).</item>
/// </list>
/// </summary>
public static class MlflowMapping
{
    public const string DefaultExperimentId = "0";
    public const string DefaultExperimentName = "Default";
    public const string RunNameTag = "mlflow.runName";
    public const string NoteTag = "mlflow.note.content";
    public const string UserTag = "mlflow.user";
    public const string LoggedModelsTag = "mlflow.log-model.history";
    public const string Active = "active";
    public const string Deleted = "deleted";

    public static string Id(Guid id) => id.ToString("N");

    public static Guid RunId(string? id) =>
        Guid.TryParseExact(id, "N", out var run) ? run : throw MlflowException.NotFound($"Run with id={id} not found");

    public static string LifecycleStage(IReadOnlyCollection<string> systemTags) =>
        systemTags.Contains(Data.Repositories.ExperimentRepository.ArchivedTag) ? Deleted : Active;

    public static string Status(ExperimentStatus status) => status switch
    {
        ExperimentStatus.InProgress => "RUNNING",
        ExperimentStatus.Created or ExperimentStatus.Queued => "SCHEDULED",
        ExperimentStatus.Failed => "FAILED",
        ExperimentStatus.Stopped => "KILLED",
        ExperimentStatus.Unknown => "FAILED",
        _ => "FINISHED",
    };

    public static ExperimentStatus Status(string status) => status switch
    {
        "RUNNING" => ExperimentStatus.InProgress,
        "SCHEDULED" => ExperimentStatus.Created,
        "FINISHED" => ExperimentStatus.Completed,
        "FAILED" => ExperimentStatus.Failed,
        "KILLED" => ExperimentStatus.Stopped,
        _ => throw MlflowException.Invalid($"Invalid value \"{status}\" for parameter 'status': expected one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED."),
    };

    public static (string Metric, string Variant) Series(string key)
    {
        var slash = key.IndexOf('/');
        return slash > 0 && slash < key.Length - 1 ? (key[..slash], key[(slash + 1)..]) : (key, key);
    }

    public static string MetricKey(string metric, string variant) => metric == variant ? metric : $"{metric}/{variant}";

    public static long Millis(DateTime time) => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    public static long? Millis(DateTime? time) => time is { } value ? Millis(value) : null;

    public static DateTime Time(long millis) =>
        millis is >= -62135596800000 and <= 253402300799999 ? DateTime.UnixEpoch.AddMilliseconds(millis)
        : throw MlflowException.Invalid($"Invalid timestamp {millis}: milliseconds since the epoch expected.");

    /// <summary>Where a run's artifacts are, served by the server itself (MLflow's <c>--serve-artifacts</c> layout).</summary>
    public static string ArtifactUri(Guid? projectId, Guid runId) => $"mlflow-artifacts:/{Id(projectId ?? Guid.Empty)}/{Id(runId)}/artifacts";

    public static string ArtifactLocation(Guid projectId) => $"mlflow-artifacts:/{Id(projectId)}";

    public static string Stage(RegisteredModelVersion version) => Data.Repositories.RegistryRepository.ExclusiveStage(version) switch
    {
        "staging" => "Staging",
        "production" => "Production",
        "archived" => "Archived",
        _ => "None",
    };

    /// <summary>MLflow's stage names in any casing; "None" takes the version out of every stage.</summary>
    public static string StageOf(string stage) => stage.ToLowerInvariant() switch
    {
        "none" => "none",
        "staging" or "production" or "archived" => stage.ToLowerInvariant(),
        _ => throw MlflowException.Invalid($"Invalid Model Version stage: {stage}. Value must be one of None, Staging, Production, Archived."),
    };
}
