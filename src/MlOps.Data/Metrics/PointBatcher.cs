using System.Threading.Channels;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Data.Metrics;

/// <summary>
/// Group commit for single-point writes: points from concurrent requests are gathered and written in one
/// transaction per workspace, and each request is answered only after the transaction holding its point
/// committed. Points of experiments that do not exist fail with not-found (one lookup per batch, not per
/// request); a batch that fails is retried point by point, so one bad point fails only its own request.
/// The batcher holds no data that matters after an answer, so any number of replicas can run one.
/// </summary>
public sealed class PointBatcher : IAsyncDisposable
{
    private const int MaxBatch = 10_000;

    private readonly WorkspaceContextFactory _contexts;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public PointBatcher(WorkspaceContextFactory contexts)
    {
        _contexts = contexts;
        _writer = Task.Run(WriteLoopAsync);
    }

    private sealed record Pending(Guid WorkspaceId, PointInput Point, TaskCompletionSource Committed);

    /// <summary>Completes once the point is committed; faults with the reason it could not be.</summary>
    public Task AppendAsync(Guid workspaceId, PointInput point, CancellationToken ct)
    {
        var pending = new Pending(workspaceId, point, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the server is shutting down");
        }
        return pending.Committed.Task.WaitAsync(ct);
    }

    private async Task WriteLoopAsync()
    {
        while (await _pending.Reader.WaitToReadAsync())
        {
            var batch = new List<Pending>();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            foreach (var workspace in batch.GroupBy(p => p.WorkspaceId))
            {
                var points = await WithoutUnknownExperimentsAsync(workspace.Key, workspace.ToList());
                if (points.Count > 0 && !await TryWriteAsync(workspace.Key, points) && points.Count > 1)
                {
                    foreach (var single in points)
                    {
                        await TryWriteAsync(workspace.Key, [single]);
                    }
                }
            }
        }
    }

    /// <summary>Fails the points whose experiment is unknown in the workspace; returns the others.</summary>
    private async Task<List<Pending>> WithoutUnknownExperimentsAsync(Guid workspaceId, List<Pending> points)
    {
        Dictionary<Guid, Entities.ExperimentStatus> known;
        try
        {
            await using var db = _contexts.For(workspaceId);
            known = await new ExperimentRepository(db).StatusesAsync([.. points.Select(p => p.Point.ExperimentId).Distinct()], CancellationToken.None);
        }
        catch (Exception e)
        {
            points.ForEach(p => p.Committed.TrySetException(e));
            return [];
        }
        foreach (var unknown in points.Where(p => !known.ContainsKey(p.Point.ExperimentId)))
        {
            unknown.Committed.TrySetException(DomainException.NotFound(EntityKind.Experiment, unknown.Point.ExperimentId.ToString("N")));
        }
        return [.. points.Where(p => known.ContainsKey(p.Point.ExperimentId))];
    }

    private async Task<bool> TryWriteAsync(Guid workspaceId, IReadOnlyList<Pending> points)
    {
        try
        {
            await using var db = _contexts.For(workspaceId);
            await new MetricsStore(db, new ExperimentRepository(db)).AppendAsync([.. points.Select(p => p.Point)], [], CancellationToken.None);
            foreach (var point in points)
            {
                point.Committed.TrySetResult();
            }
            return true;
        }
        catch (Exception e)
        {
            if (points.Count == 1)
            {
                points[0].Committed.TrySetException(e);
            }
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }
}
