namespace MlOps.Data.Entities;

/// <summary>
/// A workspace's cloud-storage credentials (ClearML's storage settings: AWS S3, Google Cloud Storage, Azure), one JSON
/// document per provider, each encrypted at rest by <see cref="Security.SecretProtector"/> (they hold keys and secrets).
/// </summary>
public sealed class StorageSettings : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public string? Aws { get; set; }
    public string? Google { get; set; }
    public string? Azure { get; set; }
    public DateTime LastUpdate { get; set; }
}
