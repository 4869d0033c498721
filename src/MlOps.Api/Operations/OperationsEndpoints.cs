using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MlOps.Data;
using MlOps.Data.Metrics;
using Prometheus;

namespace MlOps.Api.Operations;

/// <summary>
/// Liveness (the process answers), readiness (the database answers), and Prometheus metrics at <c>/metrics</c>: request
/// rate and latency per surface and endpoint, committed ingest, and the .NET meters (Npgsql's connection pool among them).
/// </summary>
public static class OperationsEndpoints
{
    private static readonly Lazy<bool> IngestExported = new(() =>
    {
        var points = Metrics.CreateCounter("mlops_ingested_points_total", "Scalar points committed since the process started");
        var events = Metrics.CreateCounter("mlops_ingested_events_total", "Events (console lines, plots, images, ...) committed since the process started");
        var stages = Metrics.CreateCounter("mlops_ingest_stage_seconds_total", "Time spent in each stage of writing reports: parse, prepare, points, summaries, commit", "stage");
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            points.IncTo(IngestMetrics.Points);
            events.IncTo(IngestMetrics.Events);
            foreach (var stage in Enum.GetValues<IngestStage>())
            {
                stages.WithLabels(stage.ToString().ToLowerInvariant()).IncTo(IngestMetrics.SecondsIn(stage));
            }
        });
        return true;
    });

    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        _ = IngestExported.Value;
        return app.UseHttpMetrics(options => options.AddCustomLabel("surface", http => SurfaceOf(http.Request.Path)));
    }

    private static string SurfaceOf(PathString path) =>
        path.StartsWithSegments("/api/rest/v2") ? "comet"
        : path.StartsWithSegments("/api/v1") ? "zenml"
        : path.StartsWithSegments("/v2") ? "clarifai"
        : path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/swagger") ? "operations"
        : path.Value?.Contains('.') == true || path.StartsWithSegments("/files") ? "clearml"
        : "web";

    public static IServiceCollection AddMlOpsHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<BlobStoreHealthCheck>("blobs", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithTags("Operations").AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") })
            .WithTags("Operations")
            .AllowAnonymous();
        app.MapMetrics("/metrics").WithTags("Operations").AllowAnonymous();
        return app;
    }
}

internal sealed class DatabaseHealthCheck(MlOpsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("database unreachable");
}

internal sealed class BlobStoreHealthCheck(Data.Blobs.IBlobStore blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await blobs.IsReachableAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"blob store unreachable: {blobs.Description}");
}
