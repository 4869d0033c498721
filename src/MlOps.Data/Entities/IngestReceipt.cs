namespace MlOps.Data.Entities;

/// <summary>
/// A report request already stored (its digest: route and body), kept for a day so that the same request sent again
/// (a client's or a proxy's retry after a lost answer) is acknowledged without storing its points twice.
/// </summary>
public sealed class IngestReceipt : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public required string Digest { get; set; }
    public DateTime CreatedAt { get; set; }
}
