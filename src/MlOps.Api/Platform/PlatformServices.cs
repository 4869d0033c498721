using MlOps.Api.Auth;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Platform;

/// <summary>What every surface stands on: the caller, the clock, credentials and tokens.</summary>
public static class PlatformServices
{
    public static IServiceCollection AddMlOpsPlatform(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddRequestDecompression(); // comet_ml gzips its batches and console output
        services.AddScoped<Caller>();
        services.AddScoped<IWorkspaceScope>(sp => sp.GetRequiredService<Caller>());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TokenService>();
        services.AddSingleton<TokenRevocations>();
        services.AddSingleton<RevokedTokenStore>();
        services.AddSingleton<PasswordLogins>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<MembershipCache>();
        services.AddMlOpsAuthentication();
        return services;
    }
}
