using System.Security.Cryptography;

namespace MlOps.Data.Security;

/// <summary>
/// Passwords as salted PBKDF2-SHA256 (<c>pbkdf2-sha256$iterations$salt$hash</c>) at the configured number of
/// iterations, 600,000 by default (OWASP's current figure). A password stored with fewer iterations verifies, and
/// <see cref="Verify"/> says it should be hashed again, which a successful login does.
/// </summary>
public sealed class PasswordHasher(int iterations)
{
    public const int DefaultIterations = 600_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public int Iterations => iterations;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether the password matches, and whether its stored hash is weaker than this hasher's.</summary>
    public (bool Valid, bool NeedsRehash) Check(string password, string stored)
    {
        var (valid, storedIterations) = Verify(password, stored);
        return (valid, valid && storedIterations < iterations);
    }

    internal static (bool Valid, int Iterations) Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var storedIterations) || storedIterations < 1)
        {
            return (false, 0);
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, storedIterations, HashAlgorithmName.SHA256, expected.Length);
        return (CryptographicOperations.FixedTimeEquals(actual, expected), storedIterations);
    }
}
