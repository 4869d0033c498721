namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// A realistic request for each MLflow route (see <see cref="Probe"/>), under <c>/api/2.0</c>; the UI's
/// <c>/ajax-api/2.0</c> maps the same handlers (see <see cref="ProbeCatalog.Probed"/>). Objects are named by id where
/// MLflow takes ids (experiments, runs), by name where it takes names (registered models).
/// </summary>
public static class MlflowProbes
{
    private const string Api = "/api/2.0/mlflow";
    private const string Artifacts = "/api/2.0/mlflow-artifacts";
    private const string Run = "\"run_id\": \"$mlflowRun\"";
    private const string Model = "\"name\": \"$mlflowModel\"";
    private const string RunArtifacts = Artifacts + "/artifacts/$mlflowExperiment/$mlflowRun/artifacts";

    public static readonly Probe[] All =
    [
        new($"POST {Api}/experiments/create", """{"name": "$unique", "tags": [{"key": "team", "value": "ml"}]}"""),
        new($"GET {Api}/experiments/get", Query: "experiment_id=$mlflowExperiment"),
        new($"GET {Api}/experiments/get-by-name", Query: "experiment_name=$mlflowExperimentName"),
        new($"POST {Api}/experiments/search", """{"filter": "name = '$mlflowExperimentName'", "max_results": 10}"""),
        new($"GET {Api}/experiments/search", Query: "filter=name+%3D+%27$mlflowExperimentName%27"),
        new($"POST {Api}/experiments/update", """{"experiment_id": "$mlflowExperiment", "new_name": "$unique"}"""),
        new($"POST {Api}/experiments/delete", """{"experiment_id": "$mlflowExperiment"}"""),
        new($"POST {Api}/experiments/restore", """{"experiment_id": "$mlflowExperiment"}"""),
        new($"POST {Api}/experiments/set-experiment-tag", """{"experiment_id": "$mlflowExperiment", "key": "owner", "value": "$unique"}"""),

        new($"POST {Api}/runs/create", """{"experiment_id": "$mlflowExperiment", "run_name": "$unique", "start_time": 1790000000000}"""),
        new($"GET {Api}/runs/get", Query: "run_id=$mlflowRun"),
        new($"POST {Api}/runs/update", $$"""{{{Run}}, "status": "FINISHED", "end_time": 1790000060000}"""),
        new($"POST {Api}/runs/delete", $$"""{{{Run}}}"""),
        new($"POST {Api}/runs/restore", $$"""{{{Run}}}"""),
        new($"POST {Api}/runs/search", """{"experiment_ids": ["$mlflowExperiment"], "filter": "metrics.loss > 0", "order_by": ["metrics.loss DESC"]}"""),
        new($"GET {Api}/runs/search", Query: "experiment_ids=$mlflowExperiment&filter=params.lr+LIKE+%27%25%27"),
        new($"POST {Api}/runs/log-metric", $$"""{{{Run}}, "key": "loss", "value": 0.125, "timestamp": 1790000002000, "step": 2}"""),
        new($"POST {Api}/runs/log-parameter", $$"""{{{Run}}, "key": "$unique", "value": "0.01"}"""),
        new($"POST {Api}/runs/set-tag", $$"""{{{Run}}, "key": "reviewed", "value": "$unique"}"""),
        new($"POST {Api}/runs/delete-tag", $$"""{{{Run}}, "key": "stage"}"""),
        new($"POST {Api}/runs/log-batch", $$"""
            {{{Run}}, "metrics": [{"key": "acc", "value": "0.9", "timestamp": "1790000003000", "step": "3"}],
             "params": [{"key": "$unique", "value": "adam"}], "tags": [{"key": "team", "value": "$unique"}]}
            """),
        new($"POST {Api}/runs/log-inputs", $$"""
            {{{Run}}, "datasets": [{"tags": [{"key": "mlflow.data.context", "value": "training"}],
             "dataset": {"name": "digits", "digest": "abc123", "source_type": "local", "source": "{\"uri\": \"/data\"}"} }]}
            """),
        new($"POST {Api}/runs/log-model", $$"""
            {{{Run}}, "model_json": "{\"artifact_path\": \"model\", \"flavors\": {\"python_function\": {} }, \"utc_time_created\": \"2026-12-07 10:00:00\", \"run_id\": \"$mlflowRun\"}"}
            """),
        new($"GET {Api}/metrics/get-history", Query: "run_id=$mlflowRun&metric_key=loss"),
        new($"GET {Api}/metrics/get-history-bulk", Query: "run_id=$mlflowRun&metric_key=loss"),
        new($"GET {Api}/metrics/get-history-bulk-interval", Query: "run_ids=$mlflowRun&metric_key=loss&max_results=10"),
        new($"GET {Api}/artifacts/list", Query: "run_id=$mlflowRun&path="),

        new($"GET {Artifacts}/artifacts", Query: "path=$mlflowExperiment/$mlflowRun/artifacts"),
        new($"GET {Artifacts}/artifacts/{{**path}}") { Path = RunArtifacts + "/notes.txt" },
        new($"PUT {Artifacts}/artifacts/{{**path}}", "bytes of $unique") { Path = RunArtifacts + "/data/new.bin", ContentType = "application/octet-stream" },
        new($"DELETE {Artifacts}/artifacts/{{**path}}") { Path = RunArtifacts + "/notes.txt" },

        new($"POST {Api}/registered-models/create", """{"name": "$unique", "description": "classifier"}"""),
        new($"GET {Api}/registered-models/get", Query: "name=$mlflowModel"),
        new($"POST {Api}/registered-models/rename", $$"""{{{Model}}, "new_name": "$unique"}"""),
        new($"PATCH {Api}/registered-models/update", $$"""{{{Model}}, "description": "$unique"}"""),
        new($"DELETE {Api}/registered-models/delete", $$"""{{{Model}}}"""),
        new($"GET {Api}/registered-models/search", Query: "filter=name+%3D+%27$mlflowModel%27"),
        new($"POST {Api}/registered-models/get-latest-versions", $$"""{{{Model}}, "stages": ["None"]}"""),
        new($"GET {Api}/registered-models/get-latest-versions", Query: "name=$mlflowModel"),
        new($"POST {Api}/registered-models/set-tag", $$"""{{{Model}}, "key": "owner", "value": "$unique"}"""),
        new($"DELETE {Api}/registered-models/delete-tag", $$"""{{{Model}}, "key": "task"}"""),
        new($"POST {Api}/registered-models/alias", $$"""{{{Model}}, "alias": "$unique", "version": "1"}"""),
        new($"DELETE {Api}/registered-models/alias", $$"""{{{Model}}, "alias": "champion"}"""),
        new($"GET {Api}/registered-models/alias", Query: "name=$mlflowModel&alias=champion"),

        new($"POST {Api}/model-versions/create", $$"""{{{Model}}, "source": "mlflow-artifacts:/x/$unique", {{Run}}}"""),
        new($"GET {Api}/model-versions/get", Query: "name=$mlflowModel&version=1"),
        new($"PATCH {Api}/model-versions/update", $$"""{{{Model}}, "version": "1", "description": "$unique"}"""),
        new($"DELETE {Api}/model-versions/delete", $$"""{{{Model}}, "version": "1"}"""),
        new($"GET {Api}/model-versions/search", Query: "filter=name+%3D+%27$mlflowModel%27"),
        new($"POST {Api}/model-versions/transition-stage", $$"""{{{Model}}, "version": "1", "stage": "Staging", "archive_existing_versions": true}"""),
        new($"GET {Api}/model-versions/get-download-uri", Query: "name=$mlflowModel&version=1"),
        new($"POST {Api}/model-versions/set-tag", $$"""{{{Model}}, "version": "1", "key": "validated", "value": "$unique"}"""),
        new($"DELETE {Api}/model-versions/delete-tag", $$"""{{{Model}}, "version": "1", "key": "quality"}"""),

        new("GET /get-artifact", Query: "path=notes.txt&run_uuid=$mlflowRun"),
        new("GET /model-versions/get-artifact", Query: "path=MLmodel&name=$mlflowModel&version=1"),

        new($"POST {Api}/experiments/search-datasets", """{"experiment_ids": ["$mlflowExperiment"]}"""),
        new($"GET {Api}/gateway-proxy", Query: "gateway_path=api%2F2.0%2Fendpoints%2F"),
        new($"POST {Api}/gateway-proxy", """{"gateway_path": "api/2.0/endpoints/"}"""),

        new($"GET {Api}/{{**endpoint}}") { Path = Api + "/no-such/endpoint", Expect = 404, Why = "an unknown MLflow endpoint is MLflow's ENDPOINT_NOT_FOUND" },
        new($"GET {Artifacts}/{{**endpoint}}") { Path = Artifacts + "/no-such-endpoint", Expect = 404, Why = "an unknown MLflow endpoint is MLflow's ENDPOINT_NOT_FOUND" },
    ];
}
