using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>The real server in-process, on the given database, bootstrapped with known credentials.</summary>
public sealed class MlOpsFactory(string provider, string connectionString, string dataDir, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string AccessKey = "BOOTSTRAPACCESSKEY0001";
    public const string SecretKey = "bootstrap-secret-key-for-tests";
    public const string ApiKey = "bootstrap-api-key-for-tests";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("MlOps:Database:Provider", provider);
        builder.UseSetting("ConnectionStrings:MlOps", connectionString);
        builder.UseSetting("MlOps:DataDir", dataDir);
        builder.UseSetting("MlOps:Bootstrap:AccessKey", AccessKey);
        builder.UseSetting("MlOps:Bootstrap:SecretKey", SecretKey);
        builder.UseSetting("MlOps:Bootstrap:ApiKey", ApiKey);
        builder.UseSetting("MlOps:Bootstrap:AdminPassword", "admin-password");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // Hundreds of users are made per run; the production default (600,000 iterations) is checked by its own test.
        builder.UseSetting("MlOps:Auth:PasswordHashIterations", "1000");
        // Webhook tests receive on loopback; the refusal of private networks is tested with this turned off.
        builder.UseSetting("MlOps:Webhooks:AllowPrivateNetworks", "true");
        // The periodic queue sampler would add rows to a workspace while the tenancy matrix compares them; its test calls it directly.
        builder.UseSetting("MlOps:Statistics:QueueSampleSeconds", "0");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    public string DataDir => dataDir;

    /// <summary>
    /// Where this factory's clients go instead of the in-process server: a load balancer in front of replicas, so that
    /// suites written against a fixture's factory run unchanged through it. The in-process server still answers
    /// <see cref="CreateTenantAsync"/> and <c>Services</c>.
    /// </summary>
    public Uri? ClientsGoTo { get; init; }

    public new HttpClient CreateClient() => ClientsGoTo is { } address ? new HttpClient { BaseAddress = address } : base.CreateClient();

    public ClearMlClient ClearMl() => new(CreateClient());

    /// <summary>A new workspace with one user and credentials, as the admin verbs make them.</summary>
    public async Task<IssuedCredentials> CreateTenantAsync(string? name = null)
    {
        var admin = Services.GetRequiredService<TenantAdmin>();
        var workspace = name ?? "ws-" + Guid.NewGuid().ToString("N")[..10];
        await admin.CreateWorkspaceAsync(workspace, CancellationToken.None);
        await admin.CreateUserAsync(workspace, "alice", "alice-password", UserRole.User, CancellationToken.None);
        return await admin.CreateCredentialsAsync(workspace, "alice", CancellationToken.None);
    }
}
