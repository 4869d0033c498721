namespace MlOps.Data.Entities;

/// <summary>A pipeline prepared to run on a stack (ZenML deployments).</summary>
public sealed class PipelineDeployment : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Guid? PipelineId { get; set; }
    public Guid? StackId { get; set; }
    public string? Status { get; set; }
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
