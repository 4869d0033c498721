namespace MlOps.Data.Entities;

/// <summary>One piece of infrastructure a stack uses: an orchestrator, an artifact store, ... (ZenML components).</summary>
public sealed class StackComponent : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string Type { get; set; }
    public required string Flavor { get; set; }
    /// <summary>JSON object.</summary>
    public string Configuration { get; set; } = "{}";
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
