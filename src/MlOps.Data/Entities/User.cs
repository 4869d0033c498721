namespace MlOps.Data.Entities;

public enum UserRole
{
    User,
    Admin,
}

public sealed class User : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    /// <summary>PBKDF2 hash (see <see cref="Security.SecretHasher"/>); null for users that cannot log in with a password.</summary>
    public string? PasswordHash { get; set; }
    public UserRole Role { get; set; } = UserRole.User;
    /// <summary>JSON object of UI preferences the client stores and reads back.</summary>
    public string? Preferences { get; set; }
    /// <summary>A non-human account that only authenticates with API keys (Comet service accounts).</summary>
    public bool IsServiceAccount { get; set; }
    public string? FullName { get; set; }
    public string? Email { get; set; }
    /// <summary>A deactivated user cannot authenticate with any credential.</summary>
    public bool Deactivated { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}
