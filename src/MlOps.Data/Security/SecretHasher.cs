using System.Security.Cryptography;
using System.Text;

namespace MlOps.Data.Security;

/// <summary>
/// Passwords and key-pair secrets are checked rarely (login), so they get slow salted PBKDF2.
/// API keys are checked on every request and must be found by value, so they are stored as a
/// SHA-256 digest, which is safe because generated keys carry 256 bits of entropy.
/// </summary>
public static class SecretHasher
{
    private const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string HashPassword(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool VerifyPassword(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations))
        {
            return false;
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public static string DigestApiKey(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <summary>A random token of the given length over [A-Z0-9] (ClearML-style keys) or hex.</summary>
    public static string NewToken(int length, bool upperAlphanumeric = false) =>
        upperAlphanumeric
            ? RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length)
            : RandomNumberGenerator.GetHexString(length, lowercase: true);
}
