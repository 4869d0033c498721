namespace MlOps.Data.Tenancy;

/// <summary>The workspace the current unit of work acts for; null means "none", which sees no tenant rows.</summary>
public interface IWorkspaceScope
{
    Guid? WorkspaceId { get; }
}

/// <summary>A scope fixed at construction: admin verbs, bootstrap, background work.</summary>
public sealed record FixedWorkspaceScope(Guid? WorkspaceId) : IWorkspaceScope
{
    public static readonly FixedWorkspaceScope None = new((Guid?)null);
}
