namespace MlOps.Data.Entities;

/// <summary>Server-wide state shared by every replica (e.g. the JWT signing key); not tenant data.</summary>
public sealed class ServerSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
