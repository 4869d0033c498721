using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>How many experiments ran (on one worker, or in all), and on average for how long and how many iterations.</summary>
public sealed record RunSummary(string? Worker, int Count, double AverageRunSeconds, double AverageIterations);

/// <summary>What the workspace's experiments that ran add up to (ClearML's usage statistics): per worker, or in all.</summary>
public sealed class RunStatistics(MlOpsDbContext db)
{
    /// <summary>Experiments that started and left the queue behind (not created or queued), per last worker when <paramref name="workers"/> are named.</summary>
    public async Task<List<RunSummary>> SummariesAsync(IReadOnlyList<string>? workers, CancellationToken ct)
    {
        var rows = db.Experiments.AsNoTracking()
            .Where(e => e.StartedAt != null && e.Status != ExperimentStatus.Created && e.Status != ExperimentStatus.Queued);
        if (workers is not null)
        {
            rows = rows.Where(e => e.LastWorker != null && workers.Contains(e.LastWorker));
        }
        var runs = await rows.Select(e => new { e.LastWorker, e.StartedAt, e.LastUpdate, e.LastIteration }).ToListAsync(ct);
        return [.. runs.GroupBy(r => workers is null ? null : r.LastWorker).Select(g => new RunSummary(
            g.Key,
            g.Count(),
            g.Average(r => Math.Max(0, (r.LastUpdate - r.StartedAt!.Value).TotalSeconds)),
            g.Average(r => (double)r.LastIteration)))];
    }
}
