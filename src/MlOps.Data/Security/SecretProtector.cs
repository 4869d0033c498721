using System.Security.Cryptography;
using System.Text;

namespace MlOps.Data.Security;

/// <summary>
/// Encrypts secret values at rest with AES-256-GCM. The key comes from configuration
/// (<c>MlOps:Secrets:EncryptionKey</c>, base64 of 32 bytes); without it one is generated once and kept in
/// the database, so every replica decrypts what another encrypted. Stored form: base64(nonce | tag | ciphertext).
/// </summary>
public sealed class SecretProtector(ServerSettingsStore settings)
{
    private const string KeySetting = "secret_encryption_key";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private byte[]? _key;

    public async Task InitializeAsync(string? configuredKey, CancellationToken ct)
    {
        var text = string.IsNullOrEmpty(configuredKey)
            ? await settings.GetOrCreateAsync(KeySetting, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct)
            : configuredKey;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("MlOps:Secrets:EncryptionKey must be base64 of 32 bytes.");
        }
        _key = key.Length == 32 ? key : throw new InvalidOperationException("MlOps:Secrets:EncryptionKey must be base64 of 32 bytes.");
    }

    private byte[] Key => _key ?? throw new InvalidOperationException("SecretProtector was not initialized.");

    public string Protect(string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return Convert.ToBase64String(sealedBytes);
    }

    public string Unprotect(string stored)
    {
        var sealedBytes = Convert.FromBase64String(stored);
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(Key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
