namespace MlOps.Data.Entities;

public enum ArtifactVersionState
{
    Open,
    Closed,
    Error,
}

/// <summary>One version of an artifact, produced by an experiment; its files are experiment assets.</summary>
public sealed class ArtifactVersion : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Guid ArtifactId { get; set; }
    /// <summary>Unique per artifact: semantic versions (major.minor.patch) from Comet, any text (ZenML counts 1, 2, ...).</summary>
    public required string Version { get; set; }
    public Guid? ExperimentId { get; set; }
    public ArtifactVersionState State { get; set; } = ArtifactVersionState.Open;
    /// <summary>JSON object.</summary>
    public string? Metadata { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> Aliases { get; set; } = [];
    /// <summary>Where the version's data lives when it is not uploaded here (ZenML artifact URIs).</summary>
    public string? Uri { get; set; }
    /// <summary>The class that wrote and reads the data (ZenML materializers).</summary>
    public string? Materializer { get; set; }
    /// <summary>The pipeline step run that produced it (ZenML).</summary>
    public Guid? ProducerStepRunId { get; set; }
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
