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
    /// <summary>
    /// The hyperparameter section of a run's free key/value facts: Comet's "others" and MLflow's run tags are the same
    /// rows (the name is Comet's, where they were first kept).
    /// </summary>
    public const string PropertiesSection = "Comet others";

    public Guid WorkspaceId { get; set; }
    public Guid ExperimentId { get; set; }
    public ParameterKind Kind { get; set; }
    public string Section { get; set; } = "";
    public required string Name { get; set; }
    public string? Value { get; set; }
    public string? Type { get; set; }
    public string? Description { get; set; }
}
