using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MlOps.Data;
using MlOps.Data.Blobs;

namespace MlOps.Api.Hosting;

/// <summary>
/// The <c>MlOps</c> configuration section; every key is documented in README. The data annotations of the nested
/// sections hold too (<see cref="ValidateObjectMembersAttribute"/>: without it only top-level members are checked).
/// </summary>
public sealed class MlOpsOptions
{
    public const string Section = "MlOps";

    [ValidateObjectMembers]
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Holds the SQLite file and the file-system blob store.</summary>
    [Required]
    public string DataDir { get; set; } = "./data";

    [ValidateObjectMembers]
    public BootstrapOptions Bootstrap { get; set; } = new();

    [ValidateObjectMembers]
    public AuthOptions Auth { get; set; } = new();

    [ValidateObjectMembers]
    public BlobOptions Blobs { get; set; } = new();

    [ValidateObjectMembers]
    public WebhookOptions Webhooks { get; set; } = new();

    [ValidateObjectMembers]
    public SecretOptions Secrets { get; set; } = new();

    [ValidateObjectMembers]
    public WebUiOptions WebUi { get; set; } = new();

    [ValidateObjectMembers]
    public ZenMlDashboardOptions ZenMlDashboard { get; set; } = new();

    [ValidateObjectMembers]
    public MlflowUiOptions MlflowUi { get; set; } = new();

    [ValidateObjectMembers]
    public CorsOptions Cors { get; set; } = new();

    [ValidateObjectMembers]
    public LimitOptions Limits { get; set; } = new();

    [ValidateObjectMembers]
    public ClarifaiOptions Clarifai { get; set; } = new();

    [ValidateObjectMembers]
    public StatisticsOptions Statistics { get; set; } = new();

    [ValidateObjectMembers]
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>
    /// The section bound once and checked against its data annotations. An invalid setting stops the start with an
    /// <see cref="OptionsValidationException"/> naming each failing setting.
    /// </summary>
    public static MlOpsOptions Bind(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<MlOpsOptions>() ?? new MlOpsOptions();
        var checkedOptions = new DataAnnotationValidateOptions<MlOpsOptions>(Options.DefaultName).Validate(Options.DefaultName, options);
        return checkedOptions.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(MlOpsOptions), checkedOptions.Failures) : options;
    }
}

public static class MlOpsSettings
{
    /// <summary>
    /// Binds and validates <c>MlOps</c> once: what registration needs (database, Kestrel, CORS) reads the returned
    /// instance, and <see cref="IOptions{TOptions}"/> hands out the same one.
    /// </summary>
    public static MlOpsOptions AddMlOpsOptions(this IHostApplicationBuilder builder)
    {
        var options = MlOpsOptions.Bind(builder.Configuration);
        builder.Services.AddSingleton(Options.Create(options));
        return options;
    }
}

public sealed class ClarifaiOptions
{
    /// <summary>Plaintext HTTP/2 endpoints (<c>http://0.0.0.0:18080</c>) serving Clarifai's gRPC API; none by default.</summary>
    public List<string> GrpcUrls { get; set; } = [];
}

public sealed class LimitOptions
{
    /// <summary>The largest request body outside file uploads (which take <c>MlOps:Blobs:MaxBytes</c>); larger ones get 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 30_000_000;
}

public sealed class WebUiOptions
{
    /// <summary>A directory holding a built ClearML web UI (its <c>build/browser</c>), served at <c>/</c>; unset serves none.</summary>
    public string? Path { get; set; }
}

public sealed class ZenMlDashboardOptions
{
    /// <summary>A directory holding ZenML's dashboard built for <c>/zenml/</c> (<c>tests/zenml-dashboard/build.sh</c>), served there; unset serves none.</summary>
    public string? Path { get; set; }
}

public sealed class MlflowUiOptions
{
    /// <summary>A directory holding MLflow's UI built by <c>tests/mlflow-ui/build.sh</c>, served at <c>/mlflow/</c>; unset serves none.</summary>
    public string? Path { get; set; }
}

public sealed class CorsOptions
{
    /// <summary>Origins allowed to call with credentials (a web UI served from another host or port); empty allows none.</summary>
    public List<string> Origins { get; set; } = [];
}

/// <summary>The machine, queue and serving statistics kept for ClearML's Workers &amp; Queues and Model Endpoints charts.</summary>
public sealed class StatisticsOptions
{
    /// <summary>How long worker readings, queue samples and serving samples are kept.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>A queue unchanged for this long is sampled anyway (its waits grow), so that its chart goes on; 0 turns that off.</summary>
    [Range(0, 86400)]
    public int QueueSampleSeconds { get; set; } = 300;
}

/// <summary>How the scalar points are kept: partitions of the points table (PostgreSQL) and their retention.</summary>
public sealed class MetricsOptions
{
    /// <summary>Point ids per partition of the points table on PostgreSQL; not below the 1,000 ids each connection takes at a time.</summary>
    [Range(1_000, 1_000_000_000_000)]
    public long PartitionRows { get; set; } = 10_000_000;

    /// <summary>How long raw points are kept; 0 keeps them for ever. Series summaries and the 16-step tiers are kept regardless.</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; }
}

public sealed class SecretOptions
{
    /// <summary>AES-256 key (base64 of 32 bytes) for secret values at rest; when unset one is generated once and kept in the database.</summary>
    public string? EncryptionKey { get; set; }
}

public sealed class WebhookOptions
{
    /// <summary>Whether webhooks may call loopback, private and link-local addresses (off: a tenant cannot reach the server's own network).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long after a failed announcement it is sent again; each further wait is twice the last, at most an hour.</summary>
    [Range(1, 3600)]
    public int RetrySeconds { get; set; } = 10;

    /// <summary>How long an announcement a receiver keeps failing is tried before it is dropped (with an error in the log).</summary>
    [Range(1, 720)]
    public int GiveUpAfterHours { get; set; } = 24;
}

/// <summary>Where file bytes are kept; with <see cref="BlobProvider.S3"/>, the <c>S3</c> section must name a bucket.</summary>
public sealed class BlobOptions : IValidatableObject
{
    /// <summary>The largest file (artifact, model, asset) accepted in one upload.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary><c>FileSystem</c> keeps blobs under <c>{DataDir}/blobs</c>; <c>S3</c> in a bucket that every replica shares.</summary>
    public BlobProvider Provider { get; set; } = BlobProvider.FileSystem;

    [ValidateObjectMembers]
    public S3BlobSettings S3 { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != BlobProvider.S3)
        {
            yield break;
        }
        if (string.IsNullOrWhiteSpace(S3.Bucket))
        {
            yield return new("MlOps:Blobs:S3:Bucket is required when MlOps:Blobs:Provider is S3", [nameof(S3BlobSettings.Bucket)]);
        }
        if (!string.IsNullOrWhiteSpace(S3.ServiceUrl)
            && !(Uri.TryCreate(S3.ServiceUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            yield return new("MlOps:Blobs:S3:ServiceUrl must be an http(s) URL", [nameof(S3BlobSettings.ServiceUrl)]);
        }
        if (string.IsNullOrEmpty(S3.AccessKey) != string.IsNullOrEmpty(S3.SecretKey))
        {
            yield return new(
                "MlOps:Blobs:S3:AccessKey and MlOps:Blobs:S3:SecretKey go together (or both unset for the SDK's default credentials)",
                [nameof(S3BlobSettings.AccessKey), nameof(S3BlobSettings.SecretKey)]);
        }
    }
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// How long a heavy read waits for the read replica (<c>ConnectionStrings:MlOpsReadOnly</c>) to replay what the primary
    /// had when the read began, connecting included, before it reads from the primary instead.
    /// </summary>
    [Range(0, 60_000)]
    public int ReplicaWaitMilliseconds { get; set; } = 200;
}

public sealed class BootstrapOptions
{
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public string? ApiKey { get; set; }
    public string? AdminUser { get; set; }
    public string? AdminPassword { get; set; }
}

public sealed class AuthOptions
{
    /// <summary>HMAC key for JWTs (at least 32 bytes); when unset one is generated once and kept in the database.</summary>
    public string? JwtSigningKey { get; set; }

    /// <summary>Token lifetime when the client does not ask for one; ClearML's default is 30 days.</summary>
    [Range(60, int.MaxValue)]
    public int TokenLifetimeSeconds { get; set; } = 30 * 24 * 3600;

    /// <summary>PBKDF2-SHA256 iterations for passwords; weaker stored hashes are replaced at the next successful login.</summary>
    [Range(1_000, int.MaxValue)]
    public int PasswordHashIterations { get; set; } = Data.Security.PasswordHasher.DefaultIterations;

    /// <summary>Failed password logins allowed per user name, and per client address, in any minute; then 429.</summary>
    [Range(1, int.MaxValue)]
    public int LoginAttemptsPerMinute { get; set; } = 10;
}
