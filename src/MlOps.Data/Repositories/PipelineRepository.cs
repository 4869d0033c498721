using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

public sealed record PipelineDraft(string Name, string? Description, string? Version, Guid? ProjectId, string? Spec);

public sealed record RunDraft(
    string Name, Guid? PipelineId, Guid? StackId, Guid? ProjectId, ExperimentStatus Status, DateTime? StartTime, DateTime? EndTime);

/// <summary>Null members are left as they are; tags named in <paramref name="RemoveTags"/> go, those in <paramref name="AddTags"/> come.</summary>
public sealed record RunChanges(
    string? Name, ExperimentStatus? Status, DateTime? StartTime, DateTime? EndTime,
    IReadOnlyList<string>? AddTags = null, IReadOnlyList<string>? RemoveTags = null);

public sealed record ScheduleDraft(
    string? Name, string? CronExpression, DateTime? StartTime, DateTime? EndTime, long? IntervalSeconds, bool? Active, Guid? PipelineId);

public sealed record StepDraft(string Name, Guid RunId, ExperimentStatus Status, DateTime? StartTime, DateTime? EndTime);

/// <summary>
/// Pipelines, their runs, deployments and schedules. A run is any experiment that is not part of another: the runs
/// ZenML clients create (of type <see cref="RunType"/>), and every task or experiment ClearML and Comet clients write,
/// so all of them show as runs. A run's steps are its child experiments (a ClearML pipeline controller's step tasks
/// are). A pipeline without a project goes to the <see cref="DefaultProject"/>.
/// </summary>
public sealed class PipelineRepository(MlOpsDbContext db, ProjectRepository projects, ExperimentRepository experiments, TimeProvider clock)
{
    public const string RunType = "controller";
    public const string DefaultProject = "default";

    public IQueryable<Pipeline> Pipelines => db.Pipelines.AsNoTracking();

    public const string StepType = "data_processing";

    public IQueryable<Experiment> Runs => db.Experiments.AsNoTracking().Where(e => e.ParentId == null);

    public IQueryable<Experiment> Steps => db.Experiments.AsNoTracking().Where(e => e.ParentId != null);

    public IQueryable<PipelineDeployment> Deployments => db.PipelineDeployments.AsNoTracking();

    public IQueryable<PipelineSchedule> Schedules => db.PipelineSchedules.AsNoTracking();

    public async Task<Pipeline> CreateAsync(PipelineDraft draft, Guid? userId, CancellationToken ct)
    {
        var name = Rows.Required(draft.Name, EntityKind.Pipeline, "name");
        var projectId = await ProjectOrDefaultAsync(draft.ProjectId, userId, ct);
        if (await db.Pipelines.AnyAsync(p => p.ProjectId == projectId && p.Name == name && p.Version == draft.Version, ct))
        {
            throw Rows.Exists(EntityKind.Pipeline, $"pipeline '{name}'" + (draft.Version is null ? "" : $" version {draft.Version}"));
        }
        var pipeline = new Pipeline
        {
            Name = name, Description = draft.Description, Version = draft.Version, ProjectId = projectId, Spec = draft.Spec, UserId = userId,
        };
        db.Pipelines.Add(pipeline);
        await db.SaveChangesAsync(ct);
        return pipeline;
    }

    public Task<Pipeline> GetAsync(Guid id, CancellationToken ct) => Pipelines.GetAsync(id, EntityKind.Pipeline, ct);

    /// <summary>Deletes the pipeline; its runs stay as experiments without a pipeline.</summary>
    public Task DeleteAsync(Guid id, CancellationToken ct) => db.Pipelines.DeleteAsync(id, EntityKind.Pipeline, ct);

    /// <summary>A run: an experiment in the pipeline's project (or the given one); run names are unique per project.</summary>
    public async Task<Experiment> CreateRunAsync(RunDraft draft, Guid? userId, CancellationToken ct)
    {
        var name = Rows.Required(draft.Name, EntityKind.Experiment, "name");
        var pipeline = draft.PipelineId is { } pipelineId ? await GetAsync(pipelineId, ct) : null;
        await db.Stacks.RequireAsync(draft.StackId, EntityKind.Stack, ct);
        var projectId = draft.ProjectId is { } requested ? (await projects.GetAsync(requested, ct)).Id
            : pipeline?.ProjectId ?? await ProjectOrDefaultAsync(null, userId, ct);
        if (await Runs.AnyAsync(e => e.ProjectId == projectId && e.Name == name, ct))
        {
            throw Rows.Exists(EntityKind.Experiment, $"pipeline run '{name}'");
        }
        var run = await experiments.CreateAsync(new ExperimentDraft(name, RunType, projectId), new ExperimentChanges(), userId, ct);
        var tracked = await db.Experiments.SingleAsync(e => e.Id == run.Id, ct);
        tracked.PipelineId = pipeline?.Id;
        tracked.StackId = draft.StackId;
        Apply(tracked, new RunChanges(null, draft.Status, draft.StartTime, draft.EndTime));
        await db.SaveChangesAsync(ct);
        return tracked;
    }

    public Task<Experiment> GetRunAsync(Guid id, CancellationToken ct) => Runs.GetAsync(id, EntityKind.Experiment, ct);

    /// <summary>Takes the tag off every run that carries it; returns how many did.</summary>
    public async Task<int> RemoveRunTagAsync(string tag, CancellationToken ct)
    {
        var tagged = await db.Experiments.Where(e => e.ParentId == null && e.Tags.Contains(tag)).ToListAsync(ct);
        foreach (var run in tagged)
        {
            run.Tags = run.Tags.Where(t => t != tag).ToList();
        }
        await db.SaveChangesAsync(ct);
        return tagged.Count;
    }

    public async Task<Experiment> UpdateRunAsync(Guid id, RunChanges changes, CancellationToken ct)
    {
        var run = await db.Experiments.Where(e => e.ParentId == null).GetAsync(id, EntityKind.Experiment, ct);
        if (changes.Name is { } rename && rename != run.Name)
        {
            var name = Rows.Required(rename, EntityKind.Experiment, "name");
            if (await Runs.AnyAsync(e => e.ProjectId == run.ProjectId && e.Name == name, ct))
            {
                throw Rows.Exists(EntityKind.Experiment, $"pipeline run '{name}'");
            }
            run.Name = name;
        }
        Apply(run, changes);
        run.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return run;
    }

    /// <summary>A step of a run: a child experiment in the run's project.</summary>
    public async Task<Experiment> CreateStepAsync(StepDraft draft, Guid? userId, CancellationToken ct)
    {
        var name = Rows.Required(draft.Name, EntityKind.Experiment, "name");
        var run = await GetRunAsync(draft.RunId, ct);
        var step = await experiments.CreateAsync(new ExperimentDraft(name, StepType, run.ProjectId, run.Id), new ExperimentChanges(), userId, ct);
        var tracked = await db.Experiments.SingleAsync(e => e.Id == step.Id, ct);
        Apply(tracked, new RunChanges(null, draft.Status, draft.StartTime, draft.EndTime));
        await db.SaveChangesAsync(ct);
        return tracked;
    }

    public Task<Experiment> GetStepAsync(Guid id, CancellationToken ct) => Steps.GetAsync(id, EntityKind.Experiment, ct);

    public async Task<Experiment> UpdateStepAsync(Guid id, RunChanges changes, CancellationToken ct)
    {
        var step = await db.Experiments.Where(e => e.ParentId != null).GetAsync(id, EntityKind.Experiment, ct);
        step.Name = changes.Name is { } name ? Rows.Required(name, EntityKind.Experiment, "name") : step.Name;
        Apply(step, changes);
        step.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return step;
    }

    public async Task DeleteRunAsync(Guid id, CancellationToken ct)
    {
        await GetRunAsync(id, ct);
        await experiments.DeleteAsync(id, force: true, ct);
    }

    private void Apply(Experiment run, RunChanges changes)
    {
        if (changes.Status is { } status && status != run.Status)
        {
            run.Status = status;
            run.StatusChangedAt = clock.GetUtcNow().UtcDateTime;
        }
        run.StartedAt = changes.StartTime ?? run.StartedAt ?? (run.Status == ExperimentStatus.InProgress ? clock.GetUtcNow().UtcDateTime : null);
        run.CompletedAt = changes.EndTime ?? run.CompletedAt;
        if (changes.AddTags is not null || changes.RemoveTags is not null)
        {
            run.Tags = run.Tags.Except(changes.RemoveTags ?? []).Union(changes.AddTags ?? []).ToList();
        }
    }

    public async Task<PipelineDeployment> CreateDeploymentAsync(Guid? pipelineId, Guid? stackId, string? status, Guid? userId, CancellationToken ct)
    {
        await db.Pipelines.RequireAsync(pipelineId, EntityKind.Pipeline, ct);
        await db.Stacks.RequireAsync(stackId, EntityKind.Stack, ct);
        var deployment = new PipelineDeployment { PipelineId = pipelineId, StackId = stackId, Status = status, UserId = userId };
        db.PipelineDeployments.Add(deployment);
        await db.SaveChangesAsync(ct);
        return deployment;
    }

    public Task<PipelineDeployment> GetDeploymentAsync(Guid id, CancellationToken ct) => Deployments.GetAsync(id, EntityKind.Deployment, ct);

    public Task DeleteDeploymentAsync(Guid id, CancellationToken ct) => db.PipelineDeployments.DeleteAsync(id, EntityKind.Deployment, ct);

    public async Task<PipelineSchedule> CreateScheduleAsync(ScheduleDraft draft, Guid? userId, CancellationToken ct)
    {
        var schedule = new PipelineSchedule { Name = Rows.Required(draft.Name, EntityKind.Schedule, "name"), UserId = userId };
        await ApplyAsync(schedule, draft, ct);
        db.PipelineSchedules.Add(schedule);
        await db.SaveChangesAsync(ct);
        return schedule;
    }

    public async Task<PipelineSchedule> UpdateScheduleAsync(Guid id, ScheduleDraft changes, CancellationToken ct)
    {
        var schedule = await db.PipelineSchedules.GetAsync(id, EntityKind.Schedule, ct);
        if (changes.Name is not null)
        {
            schedule.Name = Rows.Required(changes.Name, EntityKind.Schedule, "name");
        }
        await ApplyAsync(schedule, changes, ct);
        schedule.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return schedule;
    }

    public Task<PipelineSchedule> GetScheduleAsync(Guid id, CancellationToken ct) => Schedules.GetAsync(id, EntityKind.Schedule, ct);

    public Task DeleteScheduleAsync(Guid id, CancellationToken ct) => db.PipelineSchedules.DeleteAsync(id, EntityKind.Schedule, ct);

    /// <summary>A schedule fires by a cron expression or every interval from its start time, and names are unique.</summary>
    private async Task ApplyAsync(PipelineSchedule schedule, ScheduleDraft draft, CancellationToken ct)
    {
        await db.Pipelines.RequireAsync(draft.PipelineId, EntityKind.Pipeline, ct);
        schedule.CronExpression = draft.CronExpression ?? schedule.CronExpression;
        schedule.StartTime = draft.StartTime ?? schedule.StartTime;
        schedule.EndTime = draft.EndTime ?? schedule.EndTime;
        schedule.IntervalSeconds = draft.IntervalSeconds ?? schedule.IntervalSeconds;
        schedule.Active = draft.Active ?? schedule.Active;
        schedule.PipelineId = draft.PipelineId ?? schedule.PipelineId;
        if (string.IsNullOrWhiteSpace(schedule.CronExpression) && schedule.IntervalSeconds is null or <= 0)
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.Schedule, "a schedule needs a cron_expression or a positive interval_seconds");
        }
        if (schedule.EndTime < schedule.StartTime)
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.Schedule, "end_time must not be before start_time");
        }
        if (await db.PipelineSchedules.AnyAsync(s => s.Name == schedule.Name && s.Id != schedule.Id, ct))
        {
            throw Rows.Exists(EntityKind.Schedule, $"schedule '{schedule.Name}'");
        }
    }

    private async Task<Guid> ProjectOrDefaultAsync(Guid? projectId, Guid? userId, CancellationToken ct) =>
        projectId is { } id
            ? (await projects.GetAsync(id, ct)).Id
            : (await projects.GetOrCreateAsync(new ProjectDraft(DefaultProject), userId, ct)).Id;
}
