using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>What a serving container says about itself: the model it serves where.</summary>
public sealed record ServingReport(
    string ContainerId, string EndpointName, string? EndpointUrl, string ModelName, string? ModelSource, string? ModelVersion,
    string? PreprocessArtifact, string? InputType, string? InputSize, IReadOnlyList<string>? Tags, IReadOnlyList<string>? SystemTags,
    string? Reference);

/// <summary>A container's running figures, with its machine's readings reduced per device kind (average load, device count).</summary>
public sealed record ServingFigures(
    long? UptimeSeconds, long? Requests, double? RequestsPerMinute, long? LatencyMs,
    double? CpuUsage, int? CpuCount, double? GpuUsage, int? GpuCount,
    double? MemoryUsed, double? MemoryFree, double? GpuMemoryUsed, double? GpuMemoryFree, double? NetworkRx, double? NetworkTx);

/// <summary>
/// Serving containers (clearml-serving) of the caller's workspace: registered, reporting (each report extends the lease
/// and is kept as a sample for the charts), unregistered. Reads see only live containers.
/// </summary>
public sealed class ServingRepository(MlOpsDbContext db, TimeProvider clock)
{
    public const int DefaultTimeoutSeconds = 600;

    public async Task RegisterAsync(ServingReport report, string? address, int? timeoutSeconds, CancellationToken ct)
    {
        var timeout = timeoutSeconds ?? DefaultTimeoutSeconds;
        if (timeout < 1)
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.ServingContainer, "timeout must be at least 1 second");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await SaveAsync(report, address, container =>
        {
            container.RegisteredAt = now;
            container.TimeoutSeconds = timeout;
        }, null, ct);
    }

    /// <summary>
    /// Records the report on the container, registering it (with the default lease) when it is unknown or its lease ended,
    /// and keeps the figures as a sample of its endpoint.
    /// </summary>
    public async Task ReportAsync(ServingReport report, ServingFigures figures, string? address, CancellationToken ct)
    {
        var url = report.EndpointUrl is { Length: > 0 } given
            ? given
            : throw new DomainException(DomainError.InvalidInput, EntityKind.ServingContainer, "Missing required field 'endpoint_url'");
        var now = clock.GetUtcNow().UtcDateTime;
        await SaveAsync(report, address, container =>
        {
            if (container.ExpiresAt < now)
            {
                container.RegisteredAt = now;
                container.TimeoutSeconds = DefaultTimeoutSeconds;
            }
        }, figures, ct);
        db.ServingSamples.Add(new ServingSample
        {
            ContainerId = report.ContainerId,
            EndpointUrl = url,
            Timestamp = new DateTimeOffset(now).ToUnixTimeMilliseconds(),
            Requests = figures.Requests,
            RequestsPerMinute = figures.RequestsPerMinute,
            UptimeSeconds = figures.UptimeSeconds,
            LatencyMs = figures.LatencyMs,
            CpuUsage = figures.CpuUsage,
            CpuCount = figures.CpuCount,
            GpuUsage = figures.GpuUsage,
            GpuCount = figures.GpuCount,
            MemoryUsed = figures.MemoryUsed,
            MemoryFree = figures.MemoryFree,
            MemoryTotal = Total(figures.MemoryUsed, figures.MemoryFree),
            GpuMemoryUsed = figures.GpuMemoryUsed,
            GpuMemoryFree = figures.GpuMemoryFree,
            GpuMemoryTotal = Total(figures.GpuMemoryUsed, figures.GpuMemoryFree),
            NetworkRx = figures.NetworkRx,
            NetworkTx = figures.NetworkTx,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Forgets the container; one already gone is not an error (ClearML unregisters unknown containers quietly).</summary>
    public Task UnregisterAsync(string containerId, CancellationToken ct) =>
        db.ServingContainers.Where(c => c.ContainerId == containerId).ExecuteDeleteAsync(ct);

    /// <summary>The live containers, optionally only those serving <paramref name="endpointUrl"/>.</summary>
    public Task<List<ServingContainer>> LiveAsync(string? endpointUrl, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = db.ServingContainers.AsNoTracking().Where(c => c.ExpiresAt >= now);
        if (endpointUrl is not null)
        {
            rows = rows.Where(c => c.EndpointUrl == endpointUrl);
        }
        return rows.OrderBy(c => c.ContainerId).ToListAsync(ct);
    }

    /// <summary>The endpoint's samples within [from, to] (milliseconds since the epoch), oldest first.</summary>
    public Task<List<ServingSample>> SamplesAsync(string endpointUrl, long from, long to, CancellationToken ct) =>
        db.ServingSamples.AsNoTracking()
            .Where(s => s.EndpointUrl == endpointUrl && s.Timestamp >= from && s.Timestamp <= to)
            .OrderBy(s => s.Timestamp).ThenBy(s => s.Id)
            .ToListAsync(ct);

    private async Task SaveAsync(
        ServingReport report, string? address, Action<ServingContainer> lease, ServingFigures? figures, CancellationToken ct, bool retried = false)
    {
        if (string.IsNullOrWhiteSpace(report.ContainerId))
        {
            throw new DomainException(DomainError.InvalidInput, EntityKind.ServingContainer, "container_id must not be empty");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var container = await db.ServingContainers.SingleOrDefaultAsync(c => c.ContainerId == report.ContainerId, ct);
        if (container is null)
        {
            container = new ServingContainer
            {
                ContainerId = report.ContainerId, EndpointName = report.EndpointName, ModelName = report.ModelName,
                RegisteredAt = now, TimeoutSeconds = DefaultTimeoutSeconds,
            };
            db.ServingContainers.Add(container);
        }
        lease(container);
        container.EndpointName = report.EndpointName;
        container.EndpointUrl = report.EndpointUrl;
        container.ModelName = report.ModelName;
        container.ModelSource = report.ModelSource;
        container.ModelVersion = report.ModelVersion;
        container.PreprocessArtifact = report.PreprocessArtifact;
        container.InputType = report.InputType;
        container.InputSize = report.InputSize;
        container.Tags = [.. report.Tags ?? []];
        container.SystemTags = [.. report.SystemTags ?? []];
        container.Reference = report.Reference;
        container.Address = address ?? container.Address;
        container.LastActivityAt = now;
        container.ExpiresAt = now.AddSeconds(container.TimeoutSeconds);
        if (figures is not null)
        {
            container.UptimeSeconds = figures.UptimeSeconds;
            container.Requests = figures.Requests;
            container.RequestsPerMinute = figures.RequestsPerMinute;
            container.LatencyMs = figures.LatencyMs;
            container.CpuCount = figures.CpuCount;
            container.GpuCount = figures.GpuCount;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (db.Entry(container).State == EntityState.Added && !retried)
        {
            // The same container registered through another request meanwhile: apply this report to that row.
            db.ChangeTracker.Clear();
            await SaveAsync(report, address, lease, figures, ct, retried: true);
        }
    }

    private static double? Total(double? used, double? free) =>
        used is null && free is null ? null : Math.Round((used ?? 0) + (free ?? 0), 3);
}
