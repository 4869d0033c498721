namespace MlOps.Data.Entities;

/// <summary>The tenant: a ClearML company, a Comet workspace, a ZenML server scope, a Clarifai user.</summary>
public sealed class Workspace
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}
