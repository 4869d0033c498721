namespace MlOps.Data.Entities;

/// <summary>A ClearML project, a Comet project, a ZenML project, a Clarifai app.</summary>
public sealed class Project : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    /// <summary>The full path, segments separated by '/', unique per workspace.</summary>
    public required string Name { get; set; }
    public Guid? ParentId { get; set; }
    public Guid? UserId { get; set; }
    public string? Description { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> SystemTags { get; set; } = [];
    public string? DefaultOutputDestination { get; set; }
    /// <summary>Free-form notes (Comet project notes).</summary>
    public string? Notes { get; set; }
    /// <summary>Codes of the share links handed out for this project (Comet share links).</summary>
    public List<string> ShareCodes { get; set; } = [];
    /// <summary>Key/value facts about the project (MLflow experiment tags).</summary>
    public Dictionary<string, string> Properties { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
