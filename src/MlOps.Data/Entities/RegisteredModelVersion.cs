namespace MlOps.Data.Entities;

/// <summary>One version of a registered model, usually promoted from an experiment model, with its stages.</summary>
public sealed class RegisteredModelVersion : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Guid RegisteredModelId { get; set; }
    public required string Version { get; set; }
    /// <summary>1, 2, ... in the order versions were added to the model.</summary>
    public int Number { get; set; }
    /// <summary>The experiment model this version is (null once that model is deleted).</summary>
    public Guid? ModelId { get; set; }
    public string? Comment { get; set; }
    public List<string> Stages { get; set; } = [];
    /// <summary>Names that point at this version, unique per model (MLflow aliases such as <c>champion</c>).</summary>
    public List<string> Aliases { get; set; } = [];
    /// <summary>Key/value facts about the version (MLflow model version tags).</summary>
    public Dictionary<string, string> Properties { get; set; } = [];
    public DateTime LastUpdate { get; set; }
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
