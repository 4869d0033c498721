namespace MlOps.Data.Entities;

public enum ExperimentStatus
{
    Created,
    Queued,
    InProgress,
    Stopped,
    Published,
    Publishing,
    Closed,
    Failed,
    Completed,
    Unknown,
}

/// <summary>
/// One run: a ClearML task and a Comet experiment are the same row. Free-form documents
/// (script, runtime, execution, ...) are JSON text owned by the surface that writes them.
/// </summary>
public sealed class Experiment : IWorkspaceOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public long Version { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid? ProjectId { get; set; }
    public Guid? UserId { get; set; }
    public Guid? ParentId { get; set; }
    /// <summary>The pipeline this experiment is a run of (ZenML pipeline runs), and the stack it ran on.</summary>
    public Guid? PipelineId { get; set; }
    public Guid? StackId { get; set; }
    public required string Name { get; set; }
    /// <summary>ClearML task type (training, controller, ...); product-specific, so free text.</summary>
    public required string Type { get; set; }
    public ExperimentStatus Status { get; set; } = ExperimentStatus.Created;
    public string? StatusReason { get; set; }
    public string? StatusMessage { get; set; }
    public string? Comment { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> SystemTags { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime? PublishedAt { get; set; }
    public DateTime? StatusChangedAt { get; set; }
    public DateTime LastUpdate { get; set; }
    public DateTime? LastChangedAt { get; set; }
    public Guid? LastChangedBy { get; set; }
    public long LastIteration { get; set; }
    /// <summary>The queue the experiment waits in (or was last taken from).</summary>
    public Guid? QueueId { get; set; }
    /// <summary>The worker that last reported running it, and when.</summary>
    public string? LastWorker { get; set; }
    public DateTime? LastWorkerReportAt { get; set; }
    public string? Script { get; set; }
    public string? Runtime { get; set; }
    public string? Execution { get; set; }
    public string? Output { get; set; }
    public string? Container { get; set; }
    public string? Models { get; set; }
    /// <summary>Host, OS, Python, GPUs and the like, as the reporting client describes them (JSON).</summary>
    public string? SystemDetails { get; set; }
    /// <summary>An HTML report attached to the run (Comet html).</summary>
    public string? Html { get; set; }
    /// <summary>The source code of the run (Comet code).</summary>
    public string? Code { get; set; }
    /// <summary>The model graph description (Comet graph).</summary>
    public string? Graph { get; set; }
    /// <summary>The text of a report (an experiment of type <c>report</c>: ClearML reports), markdown with embedded widgets.</summary>
    public string? Report { get; set; }
    /// <summary>The files a report's text links to (uploaded images, say), so that they go with it.</summary>
    public List<string> ReportAssets { get; set; } = [];
    public List<ExperimentParameter> Parameters { get; set; } = [];
}
