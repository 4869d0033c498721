namespace MlOps.Data.Entities;

/// <summary>How to reach an external provider's resources (ZenML service connectors).</summary>
public sealed class ServiceConnector : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string ConnectorType { get; set; }
    public required string AuthMethod { get; set; }
    public List<string> ResourceTypes { get; set; } = [];
    /// <summary>JSON object.</summary>
    public string Configuration { get; set; } = "{}";
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
