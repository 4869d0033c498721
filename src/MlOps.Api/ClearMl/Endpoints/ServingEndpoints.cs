using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>serving.*</c>: clearml-serving containers register, report their figures and unregister; the web UI's Model
/// Endpoints pages read what they reported (endpoints, loading instances, one endpoint's instances, its charts).
/// </summary>
public static partial class ServingEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("serving.register_container", Register);
        api.MapAction("serving.unregister_container", Unregister);
        api.MapAction("serving.container_status_report", StatusReport);
        api.MapAction("serving.get_endpoints", GetEndpoints);
        api.MapAction("serving.get_loading_instances", GetLoadingInstances);
        api.MapAction("serving.get_endpoint_details", GetEndpointDetails);
        api.MapAction("serving.get_endpoint_metrics_history", GetEndpointMetricsHistory);
    }

    private static readonly string[] ReferenceTypes = ["app_id", "app_instance", "model", "task", "url"];

    public sealed record ReferenceItem(string? Type, string? Value);

    public sealed record ContainerRequest
    {
        public string? ContainerId { get; init; }
        public string? EndpointName { get; init; }
        public string? EndpointUrl { get; init; }
        public string? ModelName { get; init; }
        public string? ModelSource { get; init; }
        public string? ModelVersion { get; init; }
        public string? PreprocessArtifact { get; init; }
        public string? InputType { get; init; }
        public JsonNode? InputSize { get; init; }
        public List<string>? Tags { get; init; }
        public List<string>? SystemTags { get; init; }
        public List<ReferenceItem>? Reference { get; init; }
        public int? Timeout { get; init; }
        public long? UptimeSec { get; init; }
        public long? RequestsNum { get; init; }
        public double? RequestsMin { get; init; }
        public long? LatencyMs { get; init; }
        public JsonObject? MachineStats { get; init; }
    }

    public static async Task<object> Register(ClearMlCall call, ServingRepository serving, CancellationToken ct)
    {
        var request = call.Read<ContainerRequest>();
        await serving.RegisterAsync(Report(request), Address(call), request.Timeout, ct);
        return new { };
    }

    public static async Task<object> Unregister(ClearMlCall call, ServingRepository serving, CancellationToken ct)
    {
        await serving.UnregisterAsync(call.Read<ContainerRequest>().ContainerId ?? throw ClearMlException.MissingField("container_id"), ct);
        return new { };
    }

    /// <summary>A report of a container that is not registered (or whose lease ended) registers it, as ClearML's server does.</summary>
    public static async Task<object> StatusReport(ClearMlCall call, ServingRepository serving, CancellationToken ct)
    {
        var request = call.Read<ContainerRequest>();
        var report = Report(request);
        if (string.IsNullOrEmpty(report.EndpointUrl))
        {
            throw ClearMlException.Validation("Missing required field 'endpoint_url'");
        }
        var readings = MachineStats.Read(request.MachineStats).ToDictionary(r => r.Metric);
        double? Average(string metric) => readings.TryGetValue(metric, out var r) ? r.Average : null;
        int? Count(string metric) => readings.TryGetValue(metric, out var r) ? r.Values.Count : null;
        var figures = new ServingFigures(
            request.UptimeSec, request.RequestsNum, request.RequestsMin, request.LatencyMs,
            Average("cpu_usage"), Count("cpu_usage"), Average("gpu_usage"), Count("gpu_usage"),
            Average("memory_used"), Average("memory_free"), Average("gpu_memory_used"), Average("gpu_memory_free"),
            Average("network_rx"), Average("network_tx"));
        await serving.ReportAsync(report, figures, Address(call), ct);
        return new { };
    }

    private static ServingReport Report(ContainerRequest request)
    {
        foreach (var item in request.Reference ?? [])
        {
            if (item.Type is null || !ReferenceTypes.Contains(item.Type) || item.Value is null)
            {
                throw ClearMlException.Validation($"reference items need a value and a type among {string.Join(", ", ReferenceTypes)}");
            }
        }
        return new ServingReport(
            request.ContainerId ?? throw ClearMlException.MissingField("container_id"),
            request.EndpointName ?? throw ClearMlException.MissingField("endpoint_name"),
            request.EndpointUrl,
            request.ModelName ?? throw ClearMlException.MissingField("model_name"),
            request.ModelSource,
            request.ModelVersion,
            request.PreprocessArtifact,
            request.InputType,
            request.InputSize switch { null => null, JsonValue v when v.TryGetValue<string>(out var text) => text, var other => other.ToJsonString() },
            request.Tags,
            request.SystemTags,
            request.Reference is null ? null : JsonSerializer.Serialize(request.Reference, ClearMlJson.Options));
    }

    private static string? Address(ClearMlCall call) =>
        call.Http.Request.Headers["X-Forwarded-For"].FirstOrDefault()?.Split(',')[0].Trim() is { Length: > 0 } forwarded
            ? forwarded
            : call.Http.Connection.RemoteIpAddress?.ToString();
}
