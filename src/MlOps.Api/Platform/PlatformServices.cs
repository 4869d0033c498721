using Microsoft.Extensions.Options;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;
using MlOps.Data.Events;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Platform;

/// <summary>
/// What every surface stands on: the caller, the clock, credentials and tokens, request decompression, webhooks, report
/// receipts' expiry, the statistics' and the metric points' upkeep.
/// </summary>
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
        // Registry stage changes, made through any surface, reach the workspace's webhooks.
        services.AddScoped<WebhookRepository>();
        services.AddHttpClient(WebhookNotifier.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookNotifier.Handler(sp.GetRequiredService<IOptions<MlOpsOptions>>().Value.Webhooks));
        services.AddSingleton<WebhookNotifier>();
        services.AddSingleton<IDomainEventSink>(sp => sp.GetRequiredService<WebhookNotifier>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        services.AddHostedService<IngestReceiptExpiry>();
        services.AddSingleton<StatisticsUpkeep>();
        services.AddHostedService(sp => sp.GetRequiredService<StatisticsUpkeep>());
        services.AddSingleton<PointUpkeep>();
        services.AddHostedService(sp => sp.GetRequiredService<PointUpkeep>());
        services.AddHostedService<ClusterListener>();
        return services;
    }
}
