namespace MlOps.Data.Entities;

/// <summary>
/// A model-serving container instance (clearml-serving): what it serves at which endpoint, and what it last reported.
/// Like a worker it holds a lease that each report extends; one silent past it is gone.
/// </summary>
public sealed class ServingContainer : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    /// <summary>The id the container chose; unique per instance.</summary>
    public required string ContainerId { get; set; }
    public required string EndpointName { get; set; }
    /// <summary>Where the endpoint answers; null while the instance is still loading its model.</summary>
    public string? EndpointUrl { get; set; }
    public required string ModelName { get; set; }
    public string? ModelSource { get; set; }
    public string? ModelVersion { get; set; }
    public string? PreprocessArtifact { get; set; }
    public string? InputType { get; set; }
    public string? InputSize { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> SystemTags { get; set; } = [];
    /// <summary>JSON: the [{type, value}] items naming the app, model, task or URL the instance belongs to.</summary>
    public string? Reference { get; set; }
    /// <summary>The address the container called from.</summary>
    public string? Address { get; set; }
    public DateTime RegisteredAt { get; set; }
    public int TimeoutSeconds { get; set; }
    public DateTime LastActivityAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public long? UptimeSeconds { get; set; }
    public long? Requests { get; set; }
    public double? RequestsPerMinute { get; set; }
    public long? LatencyMs { get; set; }
    public int? CpuCount { get; set; }
    public int? GpuCount { get; set; }
}
