namespace MlOps.Data.Entities;

public enum ParameterKind
{
    /// <summary>ClearML hyperparams (section/name), Comet parameters.</summary>
    Hyperparameter,
    /// <summary>ClearML configuration objects (name only; section is empty).</summary>
    Configuration,
}

public sealed class ExperimentParameter : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ExperimentId { get; set; }
    public ParameterKind Kind { get; set; }
    public string Section { get; set; } = "";
    public required string Name { get; set; }
    public string? Value { get; set; }
    public string? Type { get; set; }
    public string? Description { get; set; }
}
