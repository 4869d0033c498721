using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MlOps.Data.Blobs;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider-specific context behind <see cref="MlOpsDbContext"/> and the shared repositories; the blob store
    /// comes from <see cref="AddFileSystemBlobStore"/> or <see cref="AddS3BlobStore"/>. The repositories of what only one wire
    /// surface keeps (stacks, annotations, panels, ...) are registered by that surface. With <paramref name="readReplica"/>
    /// (PostgreSQL only), heavy reads asked of <see cref="Replication.ReadSide"/> may go to that streaming replica.
    /// </summary>
    public static IServiceCollection AddMlOpsData(
        this IServiceCollection services, DatabaseProvider provider, string connectionString,
        int passwordHashIterations = Security.PasswordHasher.DefaultIterations, Replication.ReadReplicaSettings? readReplica = null)
    {
        services.AddSingleton(new Security.PasswordHasher(passwordHashIterations));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Events.IDomainEventSink, Events.NoDomainEvents>();
        services.AddSingleton<Events.DomainEventsInterceptor>();
        services.AddSingleton<CreationTimesInterceptor>();
        if (provider == DatabaseProvider.Postgres)
        {
            services.AddDbContext<MlOpsDbContext, PostgresMlOpsDbContext>(
                (sp, o) => UsePostgres(o, connectionString).AddInterceptors(sp.GetRequiredService<CreationTimesInterceptor>(), sp.GetRequiredService<Events.DomainEventsInterceptor>(), Replication.WritesSeen.Instance), optionsLifetime: ServiceLifetime.Singleton);
            services.AddSingleton(sp => new WorkspaceContextFactory(scope =>
                new PostgresMlOpsDbContext(sp.GetRequiredService<DbContextOptions<PostgresMlOpsDbContext>>(), scope)));
            services.AddSingleton<Cluster.ClusterSignals>(sp => new Cluster.PostgresClusterSignals(
                connectionString, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Cluster.PostgresClusterSignals>>()));
        }
        else
        {
            services.AddDbContext<MlOpsDbContext, SqliteMlOpsDbContext>(
                (sp, o) => UseSqlite(o, connectionString).AddInterceptors(sp.GetRequiredService<CreationTimesInterceptor>(), sp.GetRequiredService<Events.DomainEventsInterceptor>(), Replication.WritesSeen.Instance), optionsLifetime: ServiceLifetime.Singleton);
            services.AddSingleton(sp => new WorkspaceContextFactory(scope =>
                new SqliteMlOpsDbContext(sp.GetRequiredService<DbContextOptions<SqliteMlOpsDbContext>>(), scope)));
            services.AddSingleton<Cluster.ClusterSignals, Cluster.LocalClusterSignals>();
        }
        if (readReplica is not null && provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton(sp => new Replication.ReadReplica(
                readReplica, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Replication.ReadReplica>>()));
        }
        services.AddScoped(sp => new Replication.ReadSide(sp.GetRequiredService<MlOpsDbContext>(), sp, sp.GetService<Replication.ReadReplica>()));
        services.AddSingleton<TenantAdmin>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<Memberships>();
        services.AddSingleton<ServerSettingsStore>();
        services.AddSingleton<WebhookOutbox>();
        services.AddScoped<ProjectRepository>();
        services.AddScoped<ExperimentRepository>();
        services.AddScoped<ReportRepository>();
        services.AddScoped<StorageSettingsRepository>();
        services.AddScoped<ServingRepository>();
        services.AddScoped<WorkerStatsRepository>();
        services.AddScoped<QueueMetricsRepository>();
        services.AddScoped<RunStatistics>();
        services.AddScoped<UserRepository>();
        services.AddScoped<ProjectContents>();
        services.AddScoped<QueueRepository>();
        services.AddScoped<WorkerRepository>();
        services.AddScoped<ModelRepository>();
        services.AddScoped<MetricsStore>();
        services.AddSingleton<SeriesIdCache>();
        services.AddSingleton(sp => new PointBatcher(
            sp.GetRequiredService<WorkspaceContextFactory>(), sp.GetRequiredService<SeriesIdCache>(), sp.GetRequiredService<TimeProvider>(),
            writers: provider == DatabaseProvider.Postgres ? PointBatcher.PostgresWriters : 1));
        services.AddScoped<MetricsReader>();
        services.AddScoped<FileRepository>();
        services.AddScoped<RegistryRepository>();
        services.AddScoped<ArtifactRepository>();
        services.AddScoped<NameLookup>();
        services.AddSingleton<Security.SecretProtector>();
        return services;
    }

    public static IServiceCollection AddFileSystemBlobStore(this IServiceCollection services, string root) =>
        services.AddSingleton<IBlobStore>(new FileSystemBlobStore(root));

    /// <summary>The store owns its S3 client, so the container makes it (and disposes it at shutdown).</summary>
    public static IServiceCollection AddS3BlobStore(this IServiceCollection services, S3BlobSettings settings) =>
        services.AddSingleton<IBlobStore>(sp => new S3BlobStore(settings, sp.GetRequiredService<ILogger<S3BlobStore>>()));

    public static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention().AddInterceptors(FirstReadVersions.Instance);

    public static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention().AddInterceptors(FirstReadVersions.Instance);
}
