using MlOps.Data;
using MlOps.Data.Blobs;

namespace MlOps.Api.Hosting;

public static class DatabaseConfiguration
{
    /// <summary>
    /// Registers the configured provider and blob store. SQLite needs nothing but a directory, so without a
    /// connection string it uses <c>{DataDir}/mlops.db</c>; PostgreSQL requires <c>ConnectionStrings:MlOps</c>.
    /// </summary>
    public static IServiceCollection AddMlOpsDatabase(this IServiceCollection services, MlOpsOptions options, string? connectionString)
    {
        if (options.Database.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("MlOps:Database:Provider is Postgres but ConnectionStrings:MlOps is not set.");
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Directory.CreateDirectory(options.DataDir);
            connectionString = $"Data Source={Path.Combine(options.DataDir, "mlops.db")}";
        }
        services.AddMlOpsData(options.Database.Provider, connectionString, options.Auth.PasswordHashIterations);
        return options.Blobs.Provider == BlobProvider.S3
            ? services.AddS3BlobStore(options.Blobs.S3)
            : services.AddFileSystemBlobStore(Path.Combine(options.DataDir, "blobs"));
    }
}
