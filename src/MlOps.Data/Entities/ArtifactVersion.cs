namespace MlOps.Data.Entities;

public enum ArtifactVersionState
{
    Open,
    Closed,
    Error,
}

/// <summary>One semantic version of an artifact, produced by an experiment; its files are experiment assets.</summary>
public sealed class ArtifactVersion : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Guid ArtifactId { get; set; }
    /// <summary>Semantic version text (major.minor.patch), unique per artifact.</summary>
    public required string Version { get; set; }
    public Guid? ExperimentId { get; set; }
    public ArtifactVersionState State { get; set; } = ArtifactVersionState.Open;
    /// <summary>JSON object.</summary>
    public string? Metadata { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> Aliases { get; set; } = [];
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
