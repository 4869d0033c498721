namespace MlOps.Data.Entities;

/// <summary>A named, typed, versioned collection of files (Comet artifacts).</summary>
public sealed class Artifact : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Guid? ProjectId { get; set; }
    public required string Name { get; set; }
    public string? Type { get; set; }
    public string? Description { get; set; }
    /// <summary>JSON object.</summary>
    public string? Metadata { get; set; }
    public bool IsPublic { get; set; }
    public string? Emoji { get; set; }
    public List<string> Tags { get; set; } = [];
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
