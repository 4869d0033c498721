namespace MlOps.Data.Entities;

/// <summary>A function call requested on a running experiment (Comet RPC), waiting for the experiment to answer.</summary>
public sealed class RemoteCall : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Guid ExperimentId { get; set; }
    public required string FunctionName { get; set; }
    /// <summary>JSON array of {name, value}.</summary>
    public required string Arguments { get; set; }
    public bool CometDefined { get; set; }
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
