using System.Threading.Channels;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Data.Metrics;

/// <summary>
/// Group commit for single-point writes: points from concurrent requests are gathered and written in one
/// transaction per workspace, and each request is answered only after the transaction holding its point
/// committed. Several writers run at once (one on SQLite, which has a single writer), each owning the points of
/// a share of the experiments: different experiments commit in parallel, while one experiment's points never
/// wait on each other's row locks and gather into the largest batches. A batch that fails is split: points of unknown experiments fail with
/// not-found, the rest are retried together and then one by one, so one bad point fails only its own request.
/// The batcher holds no data that matters after an answer, so any number of replicas can run one.
/// </summary>
public sealed class PointBatcher : IAsyncDisposable
{
    public const int PostgresWriters = 4;
    private const int MaxBatch = 10_000;

    private readonly WorkspaceContextFactory _contexts;
    private readonly SeriesIdCache _seriesIds;
    private readonly TimeProvider _clock;
    private readonly Channel<Pending>[] _queues;
    private readonly Task[] _writers;

    public PointBatcher(WorkspaceContextFactory contexts, SeriesIdCache seriesIds, TimeProvider clock, int writers)
    {
        _contexts = contexts;
        _seriesIds = seriesIds;
        _clock = clock;
        _queues = [.. Enumerable.Range(0, writers).Select(_ => Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true }))];
        _writers = [.. _queues.Select(queue => Task.Run(() => WriteLoopAsync(queue.Reader)))];
    }

    private sealed record Pending(Guid WorkspaceId, PointInput Point, string? Receipt, TaskCompletionSource Committed);

    /// <summary>
    /// Completes once the point is committed (or was, under the same <paramref name="receipt"/>: a retried request);
    /// faults with the reason it could not be.
    /// </summary>
    public Task AppendAsync(Guid workspaceId, PointInput point, CancellationToken ct, string? receipt = null)
    {
        var pending = new Pending(workspaceId, point, receipt, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var queue = _queues[(int)((uint)point.ExperimentId.GetHashCode() % (uint)_queues.Length)];
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the server is shutting down");
        }
        return pending.Committed.Task.WaitAsync(ct);
    }

    private async Task WriteLoopAsync(ChannelReader<Pending> pending)
    {
        while (await pending.WaitToReadAsync())
        {
            var batch = new List<Pending>();
            while (batch.Count < MaxBatch && pending.TryRead(out var next))
            {
                batch.Add(next);
            }
            foreach (var workspace in batch.GroupBy(p => p.WorkspaceId))
            {
                await WriteAsync(workspace.Key, workspace.ToList());
            }
        }
    }

    private async Task WriteAsync(Guid workspaceId, List<Pending> points)
    {
        if (points.Count == 0 || await TryWriteAsync(workspaceId, points) is null)
        {
            return;
        }
        var known = await KnownExperimentsAsync(workspaceId, points);
        foreach (var unknown in points.Where(p => known is not null && !known.Contains(p.Point.ExperimentId)))
        {
            unknown.Committed.TrySetException(DomainException.NotFound(EntityKind.Experiment, unknown.Point.ExperimentId.ToString("N")));
        }
        var rest = points.Where(p => known is null || known.Contains(p.Point.ExperimentId)).ToList();
        if (rest.Count == points.Count || rest.Count == 0 || await TryWriteAsync(workspaceId, rest) is not null)
        {
            foreach (var single in rest)
            {
                if (await TryWriteAsync(workspaceId, [single]) is { } error)
                {
                    single.Committed.TrySetException(error);
                }
            }
        }
    }

    /// <summary>Writes the points in one transaction and answers them; returns the failure instead of throwing.</summary>
    private async Task<Exception?> TryWriteAsync(Guid workspaceId, IReadOnlyList<Pending> points)
    {
        try
        {
            await using var db = _contexts.For(workspaceId);
            await new MetricsStore(db, _seriesIds, _clock).AppendAsync([.. points.Select(p => new IngestPart(p.Receipt, [p.Point], []))], CancellationToken.None);
            foreach (var point in points)
            {
                point.Committed.TrySetResult();
            }
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private async Task<HashSet<Guid>?> KnownExperimentsAsync(Guid workspaceId, List<Pending> points)
    {
        try
        {
            await using var db = _contexts.For(workspaceId);
            var statuses = await new ExperimentRepository(db, _clock).StatusesAsync([.. points.Select(p => p.Point.ExperimentId).Distinct()], CancellationToken.None);
            return [.. statuses.Keys];
        }
        catch (Exception)
        {
            return null; // the one-by-one retry reports each point's own failure
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }
        await Task.WhenAll(_writers);
    }
}
