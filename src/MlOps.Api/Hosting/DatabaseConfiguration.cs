using MlOps.Data;
using MlOps.Data.Blobs;
using MlOps.Data.Replication;

namespace MlOps.Api.Hosting;

public static class DatabaseConfiguration
{
    /// <summary>
    /// Registers the configured provider and blob store. SQLite needs nothing but a directory, so without a
    /// connection string it uses <c>{DataDir}/mlops.db</c>; PostgreSQL requires <c>ConnectionStrings:MlOps</c>. A read replica
    /// (<c>ConnectionStrings:MlOpsReadOnly</c>, a PostgreSQL streaming replica) is refused with SQLite rather than ignored, so
    /// nobody believes reads are offloaded when they are not.
    /// </summary>
    public static IServiceCollection AddMlOpsDatabase(
        this IServiceCollection services, MlOpsOptions options, string? connectionString, string? readOnlyConnectionString = null)
    {
        if (options.Database.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("MlOps:Database:Provider is Postgres but ConnectionStrings:MlOps is not set.");
        }
        var hasReplica = !string.IsNullOrWhiteSpace(readOnlyConnectionString);
        if (hasReplica && options.Database.Provider != DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException(
                "ConnectionStrings:MlOpsReadOnly names a PostgreSQL streaming replica, but MlOps:Database:Provider is Sqlite: unset it, or use Postgres.");
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Directory.CreateDirectory(options.DataDir);
            connectionString = $"Data Source={Path.Combine(options.DataDir, "mlops.db")}";
        }
        var replica = hasReplica
            ? new ReadReplicaSettings(readOnlyConnectionString!, TimeSpan.FromMilliseconds(options.Database.ReplicaWaitMilliseconds))
            : null;
        services.AddMlOpsData(options.Database.Provider, connectionString, options.Auth.PasswordHashIterations, replica);
        return options.Blobs.Provider == BlobProvider.S3
            ? services.AddS3BlobStore(options.Blobs.S3)
            : services.AddFileSystemBlobStore(Path.Combine(options.DataDir, "blobs"));
    }
}
