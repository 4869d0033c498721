namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// A realistic request for each Clarifai route (see <see cref="Probe"/>), written once and sent on both route forms:
/// <c>/v2/...</c> naming the world's app in <c>user_app_id</c>, and <c>/v2/users/me/apps/{app}/...</c>.
/// </summary>
public static class ClarifaiProbes
{
    private const string LongForm = "/v2/users/{user_id}/apps/{app_id}";

    private static readonly (string Method, string Route, string? Body, string? Query, Dictionary<string, string>? PathValues)[] Endpoints =
    [
        ("POST", "/inputs", """{"inputs": [{"id": "input-$unique", "data": {"image": {"url": "https://example.com/$unique.jpg"}, "concepts": [{"id": "$concept", "value": 1}]}}]}""", null, null),
        ("GET", "/inputs", null, "page=1&per_page=20", null),
        ("DELETE", "/inputs", """{"ids": ["$input"]}""", null, null),
        ("GET", "/inputs/status", null, null, null),
        ("GET", "/inputs/{input_id}", null, null, new() { ["input_id"] = "$input" }),
        ("DELETE", "/inputs/{input_id}", null, null, new() { ["input_id"] = "$input" }),

        ("POST", "/concepts", """{"concepts": [{"id": "concept-$unique", "name": "Concept $unique"}]}""", null, null),
        ("GET", "/concepts", null, "page=1&per_page=20", null),
        ("PATCH", "/concepts", """{"action": "overwrite", "concepts": [{"id": "$concept", "name": "Renamed $unique"}]}""", null, null),
        ("GET", "/concepts/{concept_id}", null, null, new() { ["concept_id"] = "$concept" }),

        ("POST", "/annotations", """{"annotations": [{"input_id": "$input", "task_id": "$labelTask", "data": {"concepts": [{"id": "$concept", "value": 1}]}}]}""", null, null),
        ("GET", "/annotations", null, "input_ids=$input&list_all_annotations=true", null),
        ("GET", "/annotations/workers", null, null, null),
        ("GET", "/tasks/{task_id}/annotations/count", null, null, new() { ["task_id"] = "$labelTask" }),
        ("PATCH", "/annotations", """{"action": "merge", "annotations": [{"id": "$annotation", "input_id": "$input", "data": {"concepts": [{"id": "$concept", "value": 0}]}}]}""", null, null),
        ("DELETE", "/annotations", """{"input_ids": ["$input"], "ids": ["$annotation"]}""", null, null),
        ("DELETE", "/inputs/annotations", """{"input_ids": ["$input"]}""", null, null),
        ("GET", "/inputs/{input_id}/annotations/{annotation_id}", null, null, new() { ["input_id"] = "$input", ["annotation_id"] = "$annotation" }),
        ("DELETE", "/inputs/{input_id}/annotations/{annotation_id}", null, null, new() { ["input_id"] = "$input", ["annotation_id"] = "$annotation" }),

        ("POST", "/annotation_filters",
            """{"annotation_filters": [{"id": "filter-$unique", "name": "reviewed", "search": {"query": {"filters": [{"annotation": {"task_id": "$labelTask"}}]}}}]}""", null, null),
        ("GET", "/annotation_filters", null, "page=1&per_page=20", null),
        ("PATCH", "/annotation_filters",
            """{"action": "overwrite", "annotation_filters": [{"id": "$annotationFilter", "name": "renamed", "search": {"query": {"filters": [{"annotation": {"input_id": "$input"}}]}}}]}""", null, null),
        ("DELETE", "/annotation_filters", """{"annotation_filter_ids": ["$annotationFilter"]}""", null, null),
        ("GET", "/annotation_filters/{annotation_filter_id}", null, null, new() { ["annotation_filter_id"] = "$annotationFilter" }),

        ("POST", "/annotations/searches/metrics",
            """{"id": "eval-$unique", "ground_truth": {"query": {"filters": [{"annotation": {"task_id": "$labelTask"}}]}}, "search_to_eval": {"query": {"filters": [{"annotation": {"input_id": "$input"}}]}}, "data": {"concepts": [{"id": "$concept"}]}}""",
            null, null),
        ("GET", "/annotations/searches/metrics", null, null, null),
        ("DELETE", "/annotations/searches/metrics", """{"id": "$evaluation"}""", null, null),
        ("GET", "/annotations/searches/metrics/{id}", null, null, new() { ["id"] = "$evaluation" }),
        ("DELETE", "/annotations/searches/metrics/{id}", null, null, new() { ["id"] = "$evaluation" }),
    ];

    /// <summary>The short form names the app as the Clarifai clients' <c>user_app_id</c> query fields.</summary>
    private const string AppQuery = "user_app_id.user_id=me&user_app_id.app_id=$projectName";

    public static readonly Probe[] All =
    [
        .. Endpoints.Select(e => new Probe($"{e.Method} /v2{e.Route}", e.Body, e.Query is null ? AppQuery : $"{AppQuery}&{e.Query}") { PathValues = e.PathValues }),
        .. Endpoints.Select(e => new Probe($"{e.Method} {LongForm}{e.Route}", e.Body, e.Query) { PathValues = e.PathValues }),
        new Probe($"GET {LongForm}/", null, null),
        new Probe("GET /v2/apps", null, "page=1&per_page=20"),
        new Probe("GET /v2/users/{user_id}/apps", null, "page=1&per_page=20"),
    ];
}
