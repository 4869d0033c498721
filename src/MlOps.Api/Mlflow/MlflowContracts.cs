namespace MlOps.Api.Mlflow.Contracts;

// The objects of MLflow's service.proto and model_registry.proto as its server writes them (snake_case, see MlflowJson).

public sealed record KeyValue(string Key, string Value);

public sealed record Experiment(
    string ExperimentId, string Name, string ArtifactLocation, string LifecycleStage, long LastUpdateTime, long CreationTime, List<KeyValue> Tags);

public sealed record RunInfo(
    string RunId, string RunUuid, string RunName, string ExperimentId, string UserId, string Status, long? StartTime, long? EndTime,
    string ArtifactUri, string LifecycleStage);

public sealed record Metric(string Key, double Value, long Timestamp, long Step);

public sealed record RunMetric(string Key, double Value, long Timestamp, long Step, string RunId);

public sealed record RunData(List<Metric> Metrics, List<KeyValue> Params, List<KeyValue> Tags);

public sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

public sealed record DatasetSummary(string ExperimentId, string Name, string Digest, string? Context);

public sealed record DatasetInput(List<KeyValue> Tags, Dataset Dataset);

public sealed record RunInputs(List<DatasetInput> DatasetInputs);

public sealed record Run(RunInfo Info, RunData Data, RunInputs Inputs);

public sealed record FileInfo(string Path, bool IsDir, long? FileSize);

public sealed record ModelVersionAlias(string Alias, string Version);

public sealed record RegisteredModel(
    string Name, long CreationTimestamp, long LastUpdatedTimestamp, string? UserId, string? Description, List<ModelVersion> LatestVersions,
    List<KeyValue> Tags, List<ModelVersionAlias> Aliases);

public sealed record ModelVersion(
    string Name, string Version, long CreationTimestamp, long LastUpdatedTimestamp, string? UserId, string CurrentStage, string? Description,
    string? Source, string? RunId, string Status, string? RunLink, List<KeyValue> Tags, List<string> Aliases);
