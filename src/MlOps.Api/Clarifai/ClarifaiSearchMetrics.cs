using System.Text.Json.Nodes;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>
/// Annotation search metrics: how the annotations one search selects (<c>search_to_eval</c>, e.g. a model version's)
/// score against those another selects (<c>ground_truth</c>, e.g. a labeling task's), concept by concept over the
/// inputs either side annotated. A search selects by <c>query.filters[].annotation</c>: <c>user_id</c>,
/// <c>model_version_id</c> (or <c>model_version.id</c>), <c>task_id</c>, <c>input_id</c>; filters are AND-ed.
/// Metrics are computed when the evaluation is posted and kept with it.
/// </summary>
public static class ClarifaiSearchMetrics
{
    /// <summary>The body <see cref="Create"/> reads, for the Swagger document; <c>data.concepts</c> limits the concepts scored.</summary>
    public sealed record PostAnnotationSearchMetricsRequest(
        string? Id, PostAnnotationSearchMetricsRequest.Search GroundTruth, PostAnnotationSearchMetricsRequest.Search SearchToEval,
        AnnotationData.Data? Data, string? EvaluationType)
    {
        public sealed record Search(Query Query);

        public sealed record Query(IReadOnlyList<Filter>? Filters);

        public sealed record Filter(Annotation Annotation);

        public sealed record Annotation(string? UserId, string? ModelVersionId, ModelVersion? ModelVersion, string? TaskId, string? InputId);

        public sealed record ModelVersion(string? Id);
    }

    public static readonly ClarifaiOperation[] Operations =
    [
        new("PostAnnotationSearchMetrics", Create, new ClarifaiRoute("POST", "/annotations/searches/metrics", typeof(PostAnnotationSearchMetricsRequest))),
        new("ListAnnotationSearchMetrics", List, new ClarifaiRoute("GET", "/annotations/searches/metrics")),
        new("DeleteAnnotationSearchMetrics", Delete,
            new ClarifaiRoute("DELETE", "/annotations/searches/metrics"), new ClarifaiRoute("DELETE", "/annotations/searches/metrics/{id}")),
        new("GetAnnotationSearchMetrics", Get, new ClarifaiRoute("GET", "/annotations/searches/metrics/{id}")),
    ];

    public static async Task<ClarifaiReply> Create(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var app = call.App;
        var body = call.Request;
        var groundTruth = ClarifaiJson.Object(body, "ground_truth") ?? throw ClarifaiException.Invalid("ground_truth is required");
        var toEvaluate = ClarifaiJson.Object(body, "search_to_eval") ?? throw ClarifaiException.Invalid("search_to_eval is required");
        var requested = ClarifaiJson.Object(body, "data") is { } data ? ClarifaiJson.List(data, "concepts") : null;
        var conceptIds = requested?.Select(c => c is JsonObject o && ClarifaiJson.Text(o, "id") is { Length: > 0 } id
            ? id : throw ClarifaiException.Invalid("every concept needs an id")).ToList();
        var truth = Present(await store.AllAnnotationsAsync(app.Id, Query(groundTruth, "ground_truth"), ct));
        var predicted = Present(await store.AllAnnotationsAsync(app.Id, Query(toEvaluate, "search_to_eval"), ct));
        var evaluation = new AnnotationEvaluation
        {
            ProjectId = app.Id,
            Id = ClarifaiJson.Text(body, "id") is { Length: > 0 } given ? given : Guid.NewGuid().ToString("N"),
            GroundTruth = groundTruth.ToJsonString(),
            SearchToEvaluate = toEvaluate.ToJsonString(),
            Concepts = conceptIds is null ? null : new JsonArray([.. conceptIds.Select(id => (JsonNode)id)]).ToJsonString(),
            EvaluationType = ClarifaiJson.Text(body, "evaluation_type") ?? "Classification",
            Metrics = Score(truth, predicted, conceptIds, call.Caller.UserName).ToJsonString(),
        };
        await store.AddEvaluationAsync(evaluation, ct);
        return await ReplyAsync([evaluation], app, store, ct);
    }

    public static async Task<ClarifaiReply> Get(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var app = call.App;
        return await ReplyAsync([await store.GetEvaluationAsync(app.Id, call.Text("id") ?? "", ct)], app, store, ct);
    }

    public static async Task<ClarifaiReply> List(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var app = call.App;
        return await ReplyAsync(await store.ListEvaluationsAsync(app.Id, ct), app, store, ct);
    }

    public static async Task<ClarifaiReply> Delete(ClarifaiCall call)
    {
        var (store, ct) = (call.Service<AnnotationRepository>(), call.Aborted);
        var body = call.Request;
        var id = ClarifaiJson.Text(body, "id") is { Length: > 0 } named ? named : throw ClarifaiException.Invalid("id is required");
        await store.DeleteEvaluationAsync(call.App.Id, call.Text("id") ?? "", ct);
        return ClarifaiReply.Ok([]);
    }

    /// <summary>The annotations a search selects: every annotation (trusted or not) matching all its filters.</summary>
    private static AnnotationQuery Query(JsonObject search, string field)
    {
        var query = ClarifaiJson.Object(search, "query") ?? throw ClarifaiException.Invalid($"{field}.query is required");
        List<string> users = [], versions = [], inputs = [];
        string? task = null;
        foreach (var filter in ClarifaiJson.List(query, "filters"))
        {
            var annotation = (filter as JsonObject is { } f ? ClarifaiJson.Object(f, "annotation") : null)
                ?? throw ClarifaiException.Invalid($"every {field} filter must name an annotation");
            if (ClarifaiJson.Text(annotation, "user_id") is { } user)
            {
                users.Add(user);
            }
            if (ClarifaiAnnotations.ModelVersionId(annotation) is { } versionId)
            {
                versions.Add(versionId);
            }
            if (ClarifaiJson.Text(annotation, "input_id") is { } input)
            {
                inputs.Add(input);
            }
            task = ClarifaiJson.Text(annotation, "task_id") ?? task;
        }
        if (users.Count > 1 || versions.Count > 1 || (users.Count > 0 && versions.Count > 0))
        {
            throw ClarifaiException.Invalid($"{field} can select one user or one model version");
        }
        return new AnnotationQuery([], inputs, users, versions, task, IncludeUntrusted: true);
    }

    /// <summary>Input id → the concepts its selected annotations mark present.</summary>
    private static Dictionary<string, HashSet<string>> Present(IEnumerable<Annotation> annotations) =>
        annotations.GroupBy(a => a.InputId).ToDictionary(g => g.Key, g => g.SelectMany(a => AnnotationData.PresentConceptIds(a.Data)).ToHashSet());

    /// <summary>
    /// Per concept, over every input either side annotated: a true positive where both mark it, a false positive
    /// where only the evaluated side does, a false negative where only the ground truth does; then precision,
    /// recall and F1 (0 where undefined), and their macro averages.
    /// </summary>
    private static JsonObject Score(Dictionary<string, HashSet<string>> truth, Dictionary<string, HashSet<string>> predicted, List<string>? conceptIds, string user)
    {
        var concepts = conceptIds ?? [.. truth.Values.Concat(predicted.Values).SelectMany(c => c).Distinct().Order(StringComparer.Ordinal)];
        var inputs = truth.Keys.Union(predicted.Keys).ToList();
        var byClass = concepts.Select(concept =>
        {
            int tp = 0, fp = 0, fn = 0;
            foreach (var input in inputs)
            {
                var expected = truth.TryGetValue(input, out var t) && t.Contains(concept);
                var found = predicted.TryGetValue(input, out var p) && p.Contains(concept);
                tp += expected && found ? 1 : 0;
                fp += !expected && found ? 1 : 0;
                fn += expected && !found ? 1 : 0;
            }
            var precision = Ratio(tp, tp + fp);
            var recall = Ratio(tp, tp + fn);
            return (Concept: concept, Precision: precision, Recall: recall, F1: Ratio(2 * precision * recall, precision + recall), Positives: tp + fn);
        }).ToList();
        return new JsonObject
        {
            ["user_id"] = user,
            ["summary"] = new JsonObject
            {
                ["macro_avg_precision"] = byClass.Count == 0 ? 0 : byClass.Average(c => c.Precision),
                ["macro_avg_recall"] = byClass.Count == 0 ? 0 : byClass.Average(c => c.Recall),
                ["macro_avg_f1_score"] = byClass.Count == 0 ? 0 : byClass.Average(c => c.F1),
            },
            // Clarifai's per-concept figures (BinaryMetrics): ground-truth positives and negatives among the inputs
            // scored, F1, and precision and recall as the one point of the precision-recall curve (presence is the threshold).
            ["metrics_by_class"] = new JsonArray([.. byClass.Select(c => (JsonNode)new JsonObject
            {
                ["concept"] = new JsonObject { ["id"] = c.Concept },
                ["num_pos"] = c.Positives,
                ["num_neg"] = inputs.Count - c.Positives,
                ["num_tot"] = inputs.Count,
                ["f1"] = c.F1,
                ["precision_recall_curve"] = new JsonObject { ["precision"] = new JsonArray(c.Precision), ["recall"] = new JsonArray(c.Recall) },
            })]),
        };
    }

    private static double Ratio(double part, double whole) => whole == 0 ? 0 : part / whole;

    private static async Task<ClarifaiReply> ReplyAsync(IReadOnlyList<AnnotationEvaluation> evaluations, Project app, AnnotationRepository store, CancellationToken ct)
    {
        var rendered = evaluations.Select(e => (Evaluation: e, Metrics: (JsonObject)JsonNode.Parse(e.Metrics)!)).ToList();
        var ids = rendered.SelectMany(r => r.Metrics["metrics_by_class"]!.AsArray().Select(c => c!["concept"]!["id"]!.GetValue<string>())).Distinct().ToList();
        var concepts = await store.ConceptsAsync(app.Id, ids, ct);
        foreach (var concept in rendered.SelectMany(r => r.Metrics["metrics_by_class"]!.AsArray()).Select(c => c!["concept"]!.AsObject()))
        {
            concept["name"] = concepts.TryGetValue(concept["id"]!.GetValue<string>(), out var known) ? known.Name : concept["id"]!.GetValue<string>();
            concept["app_id"] = app.Name;
        }
        return ClarifaiReply.Ok(new JsonObject
        {
            ["annotation_search_metrics"] = new JsonArray([.. rendered.Select(r =>
            {
                // The evaluation's own id, app, user and status live in its metrics (Clarifai's EvalMetrics).
                r.Metrics["id"] = r.Evaluation.Id;
                r.Metrics["app_id"] = app.Name;
                r.Metrics["status"] = ClarifaiJson.Status(ClarifaiStatus.ModelEvaluated);
                var item = new JsonObject
                {
                    ["ground_truth"] = JsonNode.Parse(r.Evaluation.GroundTruth),
                    ["search_to_eval"] = JsonNode.Parse(r.Evaluation.SearchToEvaluate),
                    ["metrics"] = r.Metrics,
                };
                if (r.Evaluation.Concepts is { } requested)
                {
                    item["data"] = new JsonObject
                    {
                        ["concepts"] = new JsonArray([.. JsonNode.Parse(requested)!.AsArray().Select(id => (JsonNode)new JsonObject { ["id"] = id!.GetValue<string>() })]),
                    };
                }
                return (JsonNode)item;
            })]),
        });
    }
}
