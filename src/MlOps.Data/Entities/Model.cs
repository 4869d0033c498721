namespace MlOps.Data.Entities;

/// <summary>An experiment model: weights (a URI, usually a stored file) produced or used by an experiment.</summary>
public sealed class Model : IWorkspaceOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public long Version { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid? ProjectId { get; set; }
    public Guid? ExperimentId { get; set; }
    public Guid? UserId { get; set; }
    public Guid? ParentId { get; set; }
    public required string Name { get; set; }
    public string? Uri { get; set; }
    public string? Framework { get; set; }
    public string? Comment { get; set; }
    /// <summary>JSON: the network design / config text.</summary>
    public string? Design { get; set; }
    /// <summary>JSON: label name to class index.</summary>
    public string? Labels { get; set; }
    /// <summary>JSON: key to {key, type, value}.</summary>
    public string? Metadata { get; set; }
    public bool Ready { get; set; }
    public long? LastIteration { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> SystemTags { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
