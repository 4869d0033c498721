namespace MlOps.Data.Tenancy;

/// <summary>Creates a context for an explicit workspace, for work that runs outside a request (bootstrap, admin verbs).</summary>
public sealed class WorkspaceContextFactory(Func<IWorkspaceScope, MlOpsDbContext> create)
{
    public MlOpsDbContext For(Guid? workspaceId) => create(new FixedWorkspaceScope(workspaceId));
}
