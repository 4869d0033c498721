namespace MlOps.Data.Entities;

public enum EventKind
{
    Log,
    Plot,
    Image,
    Text,
    /// <summary>A vector of values reported at one iteration (ClearML training_stats_vector).</summary>
    Vector,
}

/// <summary>A non-scalar report (console line, plot, debug image, text sample); append-only.</summary>
public sealed class ExperimentEvent : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ExperimentId { get; set; }
    public EventKind Kind { get; set; }
    public long? Iteration { get; set; }
    public string? Metric { get; set; }
    public string? Variant { get; set; }
    public DateTime Timestamp { get; set; }
    /// <summary>The event as the client sent it, JSON.</summary>
    public required string Payload { get; set; }
}
