namespace MlOps.Data.Entities;

/// <summary>
/// The webhook outbox: a registry change to announce, written in the same transaction as the change (<see cref="Url"/>
/// null: its receivers not yet looked up), or one announcement to one receiver. Whichever replica is alive claims a
/// row when <see cref="NextAttemptAt"/> has come, and deletes it once delivered; a failure puts it back, later.
/// </summary>
public sealed class WebhookDelivery : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    /// <summary>The receiver, or null for a change whose receivers are still to be looked up.</summary>
    public string? Url { get; set; }
    /// <summary>JSON object of headers sent with the announcement.</summary>
    public string? Headers { get; set; }
    /// <summary>JSON: the change (no <see cref="Url"/>) or the announcement as the receiver gets it.</summary>
    public required string Payload { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
}
