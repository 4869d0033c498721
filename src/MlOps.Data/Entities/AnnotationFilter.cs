namespace MlOps.Data.Entities;

/// <summary>A saved search over an app's annotations (Clarifai annotation filters), kept as the client wrote it.</summary>
public sealed class AnnotationFilter : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ProjectId { get; set; }
    public required string Id { get; set; }
    public string? Name { get; set; }
    /// <summary>The search, a JSON object.</summary>
    public required string Search { get; set; }
    public required string UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ModifiedAt { get; set; }
}
