using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>The outcome of a remote call as the experiment reports it (times by the experiment's clock).</summary>
public sealed record RemoteCallOutcome(string? Result, string? ErrorMessage, string? ErrorStackTrace, DateTime? StartedAt, DateTime? EndedAt);

/// <summary>Function calls requested on running experiments (Comet RPC), and their outcomes.</summary>
public sealed class RemoteCallRepository(MlOpsDbContext db, TimeProvider clock)
{
    public async Task<RemoteCall> AddAsync(Guid experimentId, string functionName, string arguments, bool cometDefined, Guid? userId, CancellationToken ct)
    {
        if (!await db.Experiments.AnyAsync(e => e.Id == experimentId, ct))
        {
            throw DomainException.NotFound(EntityKind.Experiment, experimentId.ToString("N"));
        }
        var call = new RemoteCall { ExperimentId = experimentId, FunctionName = functionName, Arguments = arguments, CometDefined = cometDefined, UserId = userId };
        db.RemoteCalls.Add(call);
        await db.SaveChangesAsync(ct);
        return call;
    }

    public Task<bool> AnyPendingAsync(Guid experimentId, CancellationToken ct) =>
        db.RemoteCalls.AnyAsync(c => c.ExperimentId == experimentId && c.AnsweredAt == null, ct);

    /// <summary>The experiment's calls still waiting for an outcome, oldest first.</summary>
    public async Task<List<RemoteCall>> PendingAsync(Guid experimentId, CancellationToken ct)
    {
        if (!await db.Experiments.AnyAsync(e => e.Id == experimentId, ct))
        {
            throw DomainException.NotFound(EntityKind.Experiment, experimentId.ToString("N"));
        }
        return await db.RemoteCalls.AsNoTracking().Where(c => c.ExperimentId == experimentId && c.AnsweredAt == null)
            .OrderBy(c => c.CreatedAt).ToListAsync(ct);
    }

    /// <summary>Records the outcome of one of the experiment's calls; an outcome sent twice keeps the first.</summary>
    public async Task AnswerAsync(Guid experimentId, Guid callId, RemoteCallOutcome outcome, CancellationToken ct)
    {
        var call = await db.RemoteCalls.SingleOrDefaultAsync(c => c.Id == callId && c.ExperimentId == experimentId, ct)
            ?? throw DomainException.NotFound(EntityKind.RemoteCall, callId.ToString("N"));
        if (call.AnsweredAt is not null)
        {
            return;
        }
        call.AnsweredAt = clock.GetUtcNow().UtcDateTime;
        (call.Result, call.ErrorMessage, call.ErrorStackTrace, call.StartedAt, call.EndedAt) =
            (outcome.Result, outcome.ErrorMessage, outcome.ErrorStackTrace, outcome.StartedAt, outcome.EndedAt);
        await db.SaveChangesAsync(ct);
    }
}
