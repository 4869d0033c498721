namespace MlOps.Data.Entities;

/// <summary>A work queue that agents pull experiments from (ClearML queues).</summary>
public sealed class Queue : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public Guid? UserId { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> SystemTags { get; set; } = [];
    /// <summary>JSON: key to {key, type, value}.</summary>
    public string? Metadata { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
