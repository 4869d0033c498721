namespace MlOps.Data.Entities;

/// <summary>
/// A labeling of one input (Clarifai annotations): concepts, regions with boxes or polygons, values and
/// metadata, kept as the JSON <c>data</c> object so that patches can merge into it.
/// </summary>
public sealed class Annotation : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ProjectId { get; set; }
    public required string Id { get; set; }
    public required string InputId { get; set; }
    /// <summary>JSON object: concepts, regions, metadata, ...</summary>
    public required string Data { get; set; }
    /// <summary>The creator's user id as Clarifai shows it (the user name).</summary>
    public required string UserId { get; set; }
    public int StatusCode { get; set; }
    public bool Trusted { get; set; }
    /// <summary>The annotation made with the input itself, holding the concepts and metadata sent with it.</summary>
    public bool InputLevel { get; set; }
    /// <summary>JSON object echoed as given.</summary>
    public string? AnnotationInfo { get; set; }
    public string? TaskId { get; set; }
    public string? ModelVersionId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ModifiedAt { get; set; }
}
