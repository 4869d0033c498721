namespace MlOps.Data.Entities;

/// <summary>A signed-out token, refused until it would have expired anyway; server-wide, so every replica honours it.</summary>
public sealed class RevokedToken
{
    public required string TokenId { get; set; }
    public DateTime ExpiresAt { get; set; }
}
