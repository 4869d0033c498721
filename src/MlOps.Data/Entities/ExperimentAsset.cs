namespace MlOps.Data.Entities;

/// <summary>
/// A file attached to an experiment (Comet assets): either stored bytes (a <see cref="StoredFile"/> path) or a
/// remote link the client keeps elsewhere.
/// </summary>
public sealed class ExperimentAsset : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ExperimentId { get; set; }
    /// <summary>Chosen by the server for uploads, by the client for remote assets.</summary>
    public required string AssetId { get; set; }
    public required string FileName { get; set; }
    public string? Type { get; set; }
    public long? Step { get; set; }
    public string? Context { get; set; }
    public long Size { get; set; }
    /// <summary>The stored file holding the bytes; null for a remote asset.</summary>
    public string? FilePath { get; set; }
    public string? RemoteLink { get; set; }
    public string? Metadata { get; set; }
    public List<string> Tags { get; set; } = [];
    /// <summary>The experiment model this file belongs to (Comet's <c>model-element</c> assets).</summary>
    public Guid? ModelId { get; set; }
    /// <summary>The artifact version this file belongs to; such files are listed with the artifact, not the experiment.</summary>
    public Guid? ArtifactVersionId { get; set; }
    public DateTime CreatedAt { get; set; }
}
