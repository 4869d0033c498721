namespace MlOps.Data.Entities;

/// <summary>
/// A user given access to a workspace other than their own. Not tenant-filtered: it is what decides
/// which other workspace a caller may act in.
/// </summary>
public sealed class WorkspaceMember
{
    public Guid WorkspaceId { get; set; }
    public Guid UserId { get; set; }
    public bool IsAdmin { get; set; }
    public DateTime CreatedAt { get; set; }
}
