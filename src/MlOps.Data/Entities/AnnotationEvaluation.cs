namespace MlOps.Data.Entities;

/// <summary>
/// How one set of an app's annotations scores against another taken as ground truth (Clarifai annotation search
/// metrics): the two searches as sent and the per-concept metrics computed when it was requested.
/// </summary>
public sealed class AnnotationEvaluation : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ProjectId { get; set; }
    public required string Id { get; set; }
    /// <summary>JSON object.</summary>
    public required string GroundTruth { get; set; }
    /// <summary>JSON object.</summary>
    public required string SearchToEvaluate { get; set; }
    /// <summary>JSON array of the concepts scored, as requested (null: every concept either side used).</summary>
    public string? Concepts { get; set; }
    public string? EvaluationType { get; set; }
    /// <summary>JSON object: the computed metrics.</summary>
    public required string Metrics { get; set; }
    public DateTime CreatedAt { get; set; }
}
