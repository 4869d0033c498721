using MlOps.Data;

namespace MlOps.Api.Hosting;

public static class DatabaseConfiguration
{
    /// <summary>
    /// Registers the configured provider. SQLite needs nothing but a directory, so without a
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
        return services.AddMlOpsData(options.Database.Provider, connectionString, Path.Combine(options.DataDir, "blobs"), options.Auth.PasswordHashIterations);
    }
}
