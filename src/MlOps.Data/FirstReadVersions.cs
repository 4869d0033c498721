using Microsoft.EntityFrameworkCore.Diagnostics;
using MlOps.Data.Entities;

namespace MlOps.Data;

/// <summary>Tells the context the version of every versioned row it reads, tracked or not (see <see cref="MlOpsDbContext"/>).</summary>
internal sealed class FirstReadVersions : IMaterializationInterceptor
{
    public static readonly FirstReadVersions Instance = new();

    public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
    {
        if (entity is IVersioned row && materializationData.Context is MlOpsDbContext db)
        {
            db.RememberRead(row);
        }
        return entity;
    }
}
