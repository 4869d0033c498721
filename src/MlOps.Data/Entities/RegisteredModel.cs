namespace MlOps.Data.Entities;

/// <summary>A model in the registry (Comet registry models, ZenML models): a named line of versions.</summary>
public sealed class RegisteredModel : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? Notes { get; set; }
    public bool IsPublic { get; set; }
    /// <summary>The model card (ZenML model fields).</summary>
    public string? License { get; set; }
    public string? EthicalConsiderations { get; set; }
    public string? TradeOffs { get; set; }
    public string? Limitations { get; set; }
    public string? Audience { get; set; }
    public string? UseCases { get; set; }
    public Guid? UserId { get; set; }
    /// <summary>Key/value facts about the model (MLflow registered model tags).</summary>
    public Dictionary<string, string> Properties { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
