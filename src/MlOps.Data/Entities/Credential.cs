namespace MlOps.Data.Entities;

public enum CredentialKind
{
    /// <summary>ClearML access key + secret key, exchanged for a JWT at auth.login.</summary>
    KeyPair,
    /// <summary>A single bearer-less key: Comet's <c>Authorization: KEY</c>, Clarifai's <c>Authorization: Key KEY</c>.</summary>
    ApiKey,
}

public sealed class Credential : IWorkspaceOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Guid UserId { get; set; }
    public CredentialKind Kind { get; set; }
    /// <summary>What a caller is looked up by: the access key of a key pair, the SHA-256 of an API key.</summary>
    public required string Identifier { get; set; }
    /// <summary>PBKDF2 hash of a key pair's secret; null for API keys (their hash is the identifier).</summary>
    public string? SecretHash { get; set; }
    public string? Label { get; set; }
    public DateTime CreatedAt { get; set; }
}
