namespace MlOps.Data.Entities;

/// <summary>
/// A piece of data annotations point at (Clarifai inputs): an image or text by URL, or bytes in the blob store.
/// It belongs to an app, which is a project.
/// </summary>
public sealed class Input : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid ProjectId { get; set; }
    /// <summary>Chosen by the client or generated; unique per app.</summary>
    public required string Id { get; set; }
    /// <summary>JSON: the input's data as sent (image/text URL, metadata, concepts), without inline bytes.</summary>
    public required string Data { get; set; }
    /// <summary>The stored file holding bytes sent inline (base64), if any.</summary>
    public string? FilePath { get; set; }
    public int StatusCode { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ModifiedAt { get; set; }
}
