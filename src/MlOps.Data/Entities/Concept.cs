namespace MlOps.Data.Entities;

/// <summary>A label of an app (Clarifai concepts) that annotations refer to by id.</summary>
public sealed class Concept : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ProjectId { get; set; }
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Language { get; set; }
    public DateTime CreatedAt { get; set; }
}
