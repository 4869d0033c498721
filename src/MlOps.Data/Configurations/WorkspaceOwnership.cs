using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal static class WorkspaceOwnership
{
    /// <summary>A foreign key to the workspace for top-level rows; child rows inherit it from their parent.</summary>
    public static void BelongsToWorkspace<T>(this EntityTypeBuilder<T> builder) where T : class, IWorkspaceOwned =>
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(Microsoft.EntityFrameworkCore.DeleteBehavior.Cascade);
}
