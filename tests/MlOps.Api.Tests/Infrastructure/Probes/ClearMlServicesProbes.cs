namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each ClearML reports.* action (the web UI's Reports pages and report widgets).</summary>
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

    ];
}
