using System.Security.Cryptography;
using System.Text;

namespace MlOps.Data.Security;

/// <summary>
/// Secrets that machines generate (key-pair secrets, API keys) carry 256 bits of entropy, so a SHA-256 digest keeps them
/// safe and checks fast; API keys are also found by that digest. Key-pair secrets stored by earlier versions as PBKDF2
/// still verify. Passwords, which people choose, go through <see cref="PasswordHasher"/> instead.
/// </summary>
public static class SecretHasher
{
    private const string DigestPrefix = "sha256$";

    public static string HashGeneratedSecret(string secret) => DigestPrefix + DigestApiKey(secret);

    public static bool VerifyGeneratedSecret(string secret, string stored) =>
        stored.StartsWith(DigestPrefix, StringComparison.Ordinal)
            ? CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashGeneratedSecret(secret)), Encoding.ASCII.GetBytes(stored))
            : PasswordHasher.Verify(secret, stored).Valid;

    public static string DigestApiKey(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <summary>A random token of the given length over [A-Z0-9] (ClearML-style keys) or hex.</summary>
    public static string NewToken(int length, bool upperAlphanumeric = false) =>
        upperAlphanumeric
            ? RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length)
            : RandomNumberGenerator.GetHexString(length, lowercase: true);
}
