namespace MlOps.Data.Entities;

public enum SecretScope
{
    Workspace,
    /// <summary>Seen only by the user who owns it.</summary>
    User,
}

/// <summary>Named key/value secrets (ZenML secrets); the values are stored encrypted, never in clear.</summary>
public sealed class Secret : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public SecretScope Scope { get; set; }
    public Guid? UserId { get; set; }
    /// <summary>The values as a JSON object, encrypted by <see cref="Security.SecretProtector"/>.</summary>
    public required string EncryptedValues { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastUpdate { get; set; }
}
