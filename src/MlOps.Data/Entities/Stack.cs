namespace MlOps.Data.Entities;

/// <summary>A named set of stack components, at most one list per component type (ZenML stacks).</summary>
public sealed class Stack : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>JSON object: component type → array of component ids.</summary>
    public string Components { get; set; } = "{}";
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
