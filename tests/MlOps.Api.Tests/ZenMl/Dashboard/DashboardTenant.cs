using Microsoft.Extensions.DependencyInjection;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>A fresh workspace with one user, signed in through ZenML's form login (unique per test).</summary>
public sealed record DashboardTenant(string Workspace, string User, string Password, IssuedCredentials Keys, ZenMlClient Client)
{
    public static async Task<DashboardTenant> CreateAsync(IServerFixture fixture, UserRole role = UserRole.Admin)
    {
        var admin = fixture.Factory.Services.GetRequiredService<TenantAdmin>();
        var workspace = "zd-" + Guid.NewGuid().ToString("N")[..10];
        var user = "zdu-" + Guid.NewGuid().ToString("N")[..10];
        await admin.CreateWorkspaceAsync(workspace, CancellationToken.None);
        await admin.CreateUserAsync(workspace, user, "pw-" + user, role, CancellationToken.None);
        var keys = await admin.CreateCredentialsAsync(workspace, user, CancellationToken.None);
        var client = await ZenMlClient.LoginAsync(fixture.Factory.CreateClient(), user, "pw-" + user);
        return new DashboardTenant(workspace, user, "pw-" + user, keys, client);
    }
}
