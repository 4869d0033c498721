using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>Function calls requested on running experiments (Comet RPC).</summary>
public sealed class RemoteCallRepository(MlOpsDbContext db)
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
}
