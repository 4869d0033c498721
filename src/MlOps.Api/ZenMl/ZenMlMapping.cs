using MlOps.Data.Entities;

namespace MlOps.Api.ZenMl;

/// <summary>
/// How ZenML run statuses map onto the shared experiment statuses (README, "ZenML"). A cached run is one
/// that finished without executing, the closest of which is a closed experiment.
/// </summary>
public static class ZenMlMapping
{
    private static readonly Dictionary<string, ExperimentStatus> ToExperiment = new()
    {
        ["initializing"] = ExperimentStatus.Created,
        ["running"] = ExperimentStatus.InProgress,
        ["completed"] = ExperimentStatus.Completed,
        ["failed"] = ExperimentStatus.Failed,
        ["cached"] = ExperimentStatus.Closed,
        ["stopped"] = ExperimentStatus.Stopped,
    };

    public static IReadOnlyCollection<string> RunStatuses => ToExperiment.Keys;

    public static ExperimentStatus? ExperimentStatusOf(string? runStatus) =>
        runStatus is not null && ToExperiment.TryGetValue(runStatus, out var status) ? status : null;

    /// <summary>Experiments written by other surfaces show with the nearest ZenML status.</summary>
    public static string RunStatusOf(ExperimentStatus status) => status switch
    {
        ExperimentStatus.Created or ExperimentStatus.Queued => "initializing",
        ExperimentStatus.InProgress => "running",
        ExperimentStatus.Failed => "failed",
        ExperimentStatus.Stopped => "stopped",
        ExperimentStatus.Closed => "cached",
        ExperimentStatus.Unknown => "failed",
        _ => "completed",
    };
}
