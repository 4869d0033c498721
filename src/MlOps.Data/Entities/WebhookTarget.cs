namespace MlOps.Data.Entities;

/// <summary>A URL told about registry stage changes of one model, or of every model when <see cref="ModelName"/> is null.</summary>
public sealed class WebhookTarget : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public string? ModelName { get; set; }
    public required string Url { get; set; }
    /// <summary>JSON object of headers sent with each notification (may hold a secret token).</summary>
    public string? Headers { get; set; }
    public DateTime CreatedAt { get; set; }
}
