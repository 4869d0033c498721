using Serilog;

namespace MlOps.Api.Hosting;

public static class Logging
{
    /// <summary>Serilog to the console. Framework chatter is off by default (one request line each comes from request logging); configuration may override.</summary>
    public static IServiceCollection AddMlOpsLogging(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSerilog((provider, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(provider)
            .Enrich.FromLogContext()
            .WriteTo.Async(sink => sink.Console()));
}
