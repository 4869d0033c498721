using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible store for the suite, started once per test run and shared by every fixture that stores blobs in S3
/// (each in a bucket of its own). From the first source that works: a running store named by <c>S3_ENDPOINT</c>,
/// <c>S3_ACCESS_KEY</c> and <c>S3_SECRET_KEY</c> (what <c>s3-test-server.sh</c> prints); otherwise a single-node Ceph RADOS
/// Gateway started with <c>../shared/tools/s3-test-server.sh</c> (as root; it installs Debian's packages it needs) and
/// stopped when the run ends. With neither, the run fails.
/// </summary>
public sealed class S3Gateway
{
    public const string Region = "us-east-1";

    private static readonly Lazy<Task<S3Gateway>> Shared = new(StartAsync);

    private S3Gateway(string endpoint, string accessKey, string secretKey)
    {
        Endpoint = endpoint;
        AccessKey = accessKey;
        SecretKey = secretKey;
    }

    public string Endpoint { get; }

    public string AccessKey { get; }

    public string SecretKey { get; }

    public static Task<S3Gateway> SharedAsync() => Shared.Value;

    /// <summary>The server settings that put its blobs in <paramref name="bucket"/> (which the server creates).</summary>
    public Dictionary<string, string> ServerSettings(string bucket) => new()
    {
        ["MlOps:Blobs:Provider"] = "S3",
        ["MlOps:Blobs:S3:ServiceUrl"] = Endpoint,
        ["MlOps:Blobs:S3:Bucket"] = bucket,
        ["MlOps:Blobs:S3:AccessKey"] = AccessKey,
        ["MlOps:Blobs:S3:SecretKey"] = SecretKey,
        ["MlOps:Blobs:S3:Region"] = Region,
        ["MlOps:Blobs:S3:ForcePathStyle"] = "true",
    };

    /// <summary>A client of its own, to look into (or damage) a bucket behind the server's back.</summary>
    public AmazonS3Client Client() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Endpoint,
        AuthenticationRegion = Region,
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public static string NewBucketName() => "mlops-test-" + Guid.NewGuid().ToString("N")[..16];

    private static async Task<S3Gateway> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("S3_ENDPOINT") is { Length: > 0 } endpoint)
        {
            return new S3Gateway(endpoint, Required("S3_ACCESS_KEY"), Required("S3_SECRET_KEY"));
        }
        var tool = FindTool();
        var directory = Path.Combine(Path.GetTempPath(), "mlops-s3-" + Guid.NewGuid().ToString("N")[..12]);
        var exports = await RunToolAsync(tool, "start", directory, TimeSpan.FromMinutes(15));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunToolAsync(tool, "stop", directory, TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
        var values = exports.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return new S3Gateway(values["S3_ENDPOINT"], values["S3_ACCESS_KEY"], values["S3_SECRET_KEY"]);
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"S3_ENDPOINT is set but {variable} is not");

    /// <summary>
    /// The team's tool from the shared folder beside the repository when there is one (development machines), else the
    /// copy kept in the repository (<c>tests/tools/</c>), so a clean clone anywhere can start the gateway.
    /// </summary>
    private static string FindTool()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MlOps.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "tools", "s3-test-server.sh"));
                var kept = Path.Combine(directory.FullName, "tests", "tools", "s3-test-server.sh");
                return File.Exists(shared) ? shared
                    : File.Exists(kept) ? kept
                    : throw new InvalidOperationException($"No S3 store for the tests: set S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY, or provide {kept}.");
            }
        }
        throw new InvalidOperationException("No S3 store for the tests: the repository root (MlOps.sln) was not found above the test binaries.");
    }

    private static async Task<string> RunToolAsync(string tool, string command, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash", [tool, command, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"s3-test-server.sh {command} took longer than {timeout}: {await errors}");
        }
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"s3-test-server.sh {command} {directory} failed ({process.ExitCode}): {await errors}");
    }
}
