namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// A realistic request for each ClearML reports.* action (the web UI's Reports pages and report widgets), serving.*
/// (clearml-serving containers and the Model Endpoints pages) and storage.* (the Storage Credentials settings).
/// </summary>
public static class ClearMlServicesProbes
{
    public static readonly Probe[] All =
    [
        new("POST /reports.create", """{"name": "report-$unique", "project": "$project", "comment": "weekly", "tags": ["q3"], "report": "# Results $unique"}"""),
        new("POST /reports.update", """{"task": "$report", "report": "# Updated $unique", "report_assets": ["http://files/$unique.png"]}"""),
        new("POST /reports.move", """{"task": "$report", "project": "$subproject"}"""),
        new("POST /reports.publish", """{"task": "$report"}"""),
        new("POST /reports.archive", """{"task": "$report"}"""),
        new("POST /reports.unarchive", """{"task": "$report"}"""),
        new("POST /reports.delete", """{"task": "$report", "force": true}"""),
        new("POST /reports.get_tags", "{}"),
        new("POST /reports.get_all_ex", """{"project": ["$project"], "only_fields": ["id", "name", "status", "report", "project.name"], "order_by": ["-last_update"]}"""),
        new("POST /reports.get_task_data",
            """{"id": ["$task"], "plots": {"iters": 1}, "scalar_metrics_iter_histogram": {"metrics": [{"metric": "$metric", "variants": ["v"]}], "key": "iter"}, "single_value_metrics": {}}"""),

        new("POST /serving.register_container", """{"container_id": "container-$unique", "endpoint_name": "mnist", "model_name": "mnist-cnn", "timeout": 600}"""),
        new("POST /serving.unregister_container", """{"container_id": "$container"}"""),
        new("POST /serving.container_status_report",
            """{"container_id": "$container", "endpoint_name": "mnist", "endpoint_url": "$endpointUrl", "model_name": "mnist-cnn", "uptime_sec": 60, "requests_num": 5, "requests_min": 2.5, "latency_ms": 12, "machine_stats": {"cpu_usage": [10, 20], "memory_used": 1024}}"""),
        new("POST /serving.get_endpoints", "{}"),
        new("POST /serving.get_loading_instances", "{}"),
        new("POST /serving.get_endpoint_details", """{"endpoint_url": "$endpointUrl"}"""),
        new("POST /serving.get_endpoint_metrics_history",
            """{"endpoint_url": "$endpointUrl", "from_date": 1790000000, "to_date": 1790086400, "interval": 300, "metric_type": "latency_ms"}"""),

        new("POST /storage.get_settings", "{}"),
        new("POST /storage.set_settings", """{"aws": {"key": "AKIA$unique", "secret": "secret-$unique", "region": "us-east-1", "buckets": [{"bucket": "models", "host": "minio:9000"}]}}"""),
        new("POST /storage.reset_settings", """{"keys": ["aws"]}"""),
    ];
}
