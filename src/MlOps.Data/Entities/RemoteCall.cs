namespace MlOps.Data.Entities;

/// <summary>
/// A function call requested on a running experiment (Comet RPC): pending until the experiment, which polls for
/// calls while it runs, sends back its result or error.
/// </summary>
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
    /// <summary>When the experiment sent the outcome; null while the call is pending.</summary>
    public DateTime? AnsweredAt { get; set; }
    public string? Result { get; set; }
    public string? ErrorMessage { get; set; }
    public string? ErrorStackTrace { get; set; }
    /// <summary>When the experiment ran the call, by its own clock.</summary>
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
}
