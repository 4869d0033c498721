using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// Every sign-in with a user's name and password (ClearML's and the web UI's <c>auth.login</c> with user:password,
/// ZenML's <c>/login</c>), throttled against guessing: after <c>MlOps:Auth:LoginAttemptsPerMinute</c> failures for one
/// user name, or from one client address, within a fixed minute, further attempts for it are refused before any
/// password is checked, until the minute ends. Other names and addresses, and key-pair and API-key sign-ins, are not
/// affected. The counts are per replica. A successful sign-in is remembered for <see cref="VerifiedLifetime"/> (keyed by
/// a keyed digest of name and password), so that clients sending user:password on every call (MLflow's) do not pay
/// the password hash each time; a changed password or deactivated user stops working within that time.
/// </summary>
public sealed class PasswordLogins(CredentialStore credentials, IOptions<MlOpsOptions> options, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan VerifiedLifetime = TimeSpan.FromSeconds(30);
    private const int MaxVerified = 10_000;
    private readonly byte[] _digestKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Identity Identity, DateTimeOffset Expires)> _verified = new();

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.Auth.LoginAttemptsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>The user, or null for a wrong name or password; throws <see cref="LoginThrottledException"/> while throttled.</summary>
    public async Task<Identity?> SignInAsync(HttpContext http, string userName, string password)
    {
        var digest = Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(
            _digestKey, System.Text.Encoding.UTF8.GetBytes(userName + "\0" + password)));
        if (_verified.TryGetValue(digest, out var verified) && verified.Expires > clock.GetUtcNow())
        {
            return verified.Identity;
        }
        var keys = Keys(http, userName);
        foreach (var key in keys)
        {
            using var lease = _failures.AttemptAcquire(key, 0);
            if (!lease.IsAcquired)
            {
                throw new LoginThrottledException(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1));
            }
        }
        var identity = await credentials.FindByPasswordAsync(userName, password, http.RequestAborted);
        if (identity is null)
        {
            _verified.TryRemove(digest, out _);
            foreach (var key in keys)
            {
                _failures.AttemptAcquire(key, 1).Dispose();
            }
            return null;
        }
        if (_verified.Count >= MaxVerified)
        {
            _verified.Clear();
        }
        _verified[digest] = (identity, clock.GetUtcNow() + VerifiedLifetime);
        return identity;
    }

    private static List<string> Keys(HttpContext http, string userName) =>
        http.Connection.RemoteIpAddress is { } address
            ? ["user:" + userName.ToLowerInvariant(), "address:" + address]
            : ["user:" + userName.ToLowerInvariant()];

    public void Dispose() => _failures.Dispose();
}

/// <summary>Too many failed sign-ins; each surface answers 429 with <c>Retry-After</c>.</summary>
public sealed class LoginThrottledException(TimeSpan retryAfter) : Exception("too many failed sign-in attempts; try again later")
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public void AddRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, RetryAfter.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
