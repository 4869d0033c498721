namespace MlOps.Data.Entities;

/// <summary>When a pipeline runs by itself: a cron expression or an interval from a start time (ZenML schedules).</summary>
public sealed class PipelineSchedule : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string? CronExpression { get; set; }
    public DateTime? StartTime { get; set; }
    public DateTime? EndTime { get; set; }
    public long? IntervalSeconds { get; set; }
    public bool Active { get; set; } = true;
    public Guid? PipelineId { get; set; }
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
