using Microsoft.Extensions.Options;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

/// <summary>The <c>MlOps</c> settings are bound and checked once, at start: an invalid one stops the server, naming the setting.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("MlOps:DataDir", "", "DataDir")]
    [InlineData("MlOps:Auth:PasswordHashIterations", "10", "PasswordHashIterations")]
    [InlineData("MlOps:Auth:TokenLifetimeSeconds", "1", "TokenLifetimeSeconds")]
    [InlineData("MlOps:Limits:MaxRequestBodyBytes", "10", "MaxRequestBodyBytes")]
    [InlineData("MlOps:Blobs:MaxBytes", "0", "MaxBytes")]
    [InlineData("MlOps:Blobs:Provider", "S3", "MlOps:Blobs:S3:Bucket")]
    [InlineData("MlOps:Blobs:S3:PartSizeBytes", "1024", "PartSizeBytes")]
    [InlineData("MlOps:Database:ReplicaWaitMilliseconds", "-1", "ReplicaWaitMilliseconds")]
    [InlineData("MlOps:Metrics:PartitionRows", "999", "PartitionRows")]
    [InlineData("MlOps:Metrics:RetentionDays", "-1", "RetentionDays")]
    public async Task An_invalid_setting_stops_the_server_at_start_naming_the_setting(string key, string value, string named)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "mlops-settings-" + Guid.NewGuid().ToString("N"));
        await using var factory = new MlOpsFactory("Sqlite", "", dataDir, new Dictionary<string, string> { [key] = value });

        var error = await Record.ExceptionAsync(() => Task.FromResult(factory.Server));

        var invalid = Assert.IsType<OptionsValidationException>(Unwrapped(error));
        Assert.Contains(named, invalid.Message);
        Assert.False(Directory.Exists(dataDir), "nothing is created before the settings are checked");
    }

    [Fact]
    public async Task A_read_replica_with_sqlite_stops_the_server_at_start_saying_why()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "mlops-settings-" + Guid.NewGuid().ToString("N"));
        await using var factory = new MlOpsFactory("Sqlite", "", dataDir,
            new Dictionary<string, string> { ["ConnectionStrings:MlOpsReadOnly"] = "Host=replica;Database=mlops" });

        var error = await Record.ExceptionAsync(() => Task.FromResult(factory.Server));

        var refused = Assert.IsType<InvalidOperationException>(Unwrapped(error));
        Assert.Contains("ConnectionStrings:MlOpsReadOnly", refused.Message);
        Assert.Contains("Sqlite", refused.Message);
    }

    private static Exception? Unwrapped(Exception? error) =>
        error is AggregateException or System.Reflection.TargetInvocationException ? Unwrapped(error.InnerException) : error;
}
