using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MlOps.Api.Auth;
using MlOps.Data;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Hosting;

/// <summary>What runs before the server accepts requests: migrations, partitions for the first points, first-start bootstrap, the signing key.</summary>
public static class StartupTasks
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var db = services.GetRequiredService<WorkspaceContextFactory>().For(null);
        await using var turn = await db.LockStartupAsync(ct);
        await MigrateAsync(db, ct);
    }

    private static async Task MigrateAsync(MlOpsDbContext db, CancellationToken ct)
    {
        await db.PrepareAsync(ct);
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>Replicas started together take turns (<see cref="MlOpsDbContext.LockStartupAsync"/>): one migrates and bootstraps, the others then find it done.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        await using var db = app.Services.GetRequiredService<WorkspaceContextFactory>().For(null);
        await using var turn = await db.LockStartupAsync(ct);
        await MigrateAsync(db, ct);
        await app.Services.GetRequiredService<Platform.PointUpkeep>().TryRunAsync(ct);
        await app.Services.GetRequiredService<Data.Blobs.IBlobStore>().PrepareAsync(ct);
        var bootstrap = app.Services.GetRequiredService<IOptions<MlOpsOptions>>().Value.Bootstrap;
        var created = await app.Services.GetRequiredService<TenantAdmin>().BootstrapAsync(
            new BootstrapSettings(bootstrap.AccessKey, bootstrap.SecretKey, bootstrap.ApiKey, bootstrap.AdminUser, bootstrap.AdminPassword),
            ct);
        if (created is not null)
        {
            ReportBootstrap(created, bootstrap);
        }
        await app.Services.GetRequiredService<TokenService>().InitializeAsync(ct);
        await app.Services.GetRequiredService<Data.Security.SecretProtector>().InitializeAsync(
            app.Services.GetRequiredService<IOptions<MlOpsOptions>>().Value.Secrets.EncryptionKey, ct);
    }

    /// <summary>
    /// Generated secrets are shown once, on the console only (not through the logger, whose sinks
    /// may be shipped elsewhere); configured ones are never echoed.
    /// </summary>
    private static void ReportBootstrap(BootstrapResult created, BootstrapOptions configured)
    {
        Console.WriteLine($"MlOps: created workspace '{created.Workspace}' with admin user '{created.AdminUser}'.");
        if (created.GeneratedPassword is not null)
        {
            Console.WriteLine($"  admin password (generated):   {created.GeneratedPassword}");
        }
        if (string.IsNullOrEmpty(configured.AccessKey))
        {
            Console.WriteLine($"  ClearML access key (generated): {created.Credentials.AccessKey}");
        }
        if (string.IsNullOrEmpty(configured.SecretKey))
        {
            Console.WriteLine($"  ClearML secret key (generated): {created.Credentials.SecretKey}");
        }
        if (string.IsNullOrEmpty(configured.ApiKey))
        {
            Console.WriteLine($"  API key (generated):            {created.Credentials.ApiKey}");
        }
        Console.WriteLine("  These generated values are not shown again.");
    }
}
