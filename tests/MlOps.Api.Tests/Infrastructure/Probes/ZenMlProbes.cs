namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each ZenMl route (see <see cref="Probe"/>).</summary>
public static class ZenMlProbes
{
    private const string V1 = "/api/v1";

    /// <summary>A route under /api/v1 whose one parameter is the world's object of that placeholder.</summary>
    private static Probe On(string route, string parameter, string placeholder, string? body = null, string? query = null) =>
        new(route, body, query) { PathValues = new Dictionary<string, string> { [parameter] = placeholder } };

    public static readonly Probe[] All =
    [
        new($"GET {V1}/info"),
        new($"POST {V1}/login", "username=$zenUserName&password=$zenPassword") { ContentType = "application/x-www-form-urlencoded" },
        new($"GET {V1}/logout") { SignsOut = true },
        new($"POST {V1}/logout") { SignsOut = true },
        new($"GET {V1}/current-user"),
        new($"PUT {V1}/current-user", """{"full_name": "Alice $unique", "user_metadata": {"finished_onboarding_survey": true}}"""),
        new($"GET {V1}/settings"),
        new($"PUT {V1}/settings", """{"server_name": "server-$unique"}""") { Expect = 403, Why = "server settings are an admin's, and a world's caller is a plain user" },
        new($"GET {V1}/onboarding_state"),

        new($"GET {V1}/users", Query: "name=alice"),
        new($"POST {V1}/users", """{"name": "user-$unique", "full_name": "New User", "password": "pw-$unique"}""")
        {
            Expect = 403, Why = "creating users needs an admin account, and a world's caller is a plain user",
        },
        On($"GET {V1}/users/{{user_id}}", "user_id", "$zenUser"),
        On($"PUT {V1}/users/{{user_id}}", "user_id", "$zenUser", """{"full_name": "Alice $unique", "email": "alice-$unique@example.com"}"""),
        On($"DELETE {V1}/users/{{user_id}}", "user_id", "$zenUser") with
        {
            Expect = 403, Why = "deleting users needs an admin account (and never one's own), and a world's caller is a plain user",
        },

        new($"GET {V1}/projects", Query: "name=$projectName"),
        new($"POST {V1}/projects", """{"name": "project-$unique", "description": "pipelines here"}"""),
        On($"GET {V1}/projects/{{project_name_or_id}}", "project_name_or_id", "$zenProject"),
        On($"PUT {V1}/projects/{{project_name_or_id}}", "project_name_or_id", "$zenProject", """{"description": "described $unique"}"""),
        On($"GET {V1}/projects/{{project_name_or_id}}/statistics", "project_name_or_id", "$zenProject"),
        On($"DELETE {V1}/projects/{{project_name_or_id}}", "project_name_or_id", "$zenProject"),

        new($"GET {V1}/pipelines", Query: "project_id=$zenProject&sort_by=desc:created&page=1&size=20"),
        new($"POST {V1}/pipelines", """{"name": "pipeline-$unique", "version": "1", "project_id": "$zenProject", "spec": {"steps": ["load", "fit"]}}"""),
        On($"GET {V1}/pipelines/{{pipeline_id}}", "pipeline_id", "$pipeline"),
        On($"DELETE {V1}/pipelines/{{pipeline_id}}", "pipeline_id", "$pipeline"),

        new($"GET {V1}/runs", Query: "pipeline_id=$pipeline&status=running"),
        new($"POST {V1}/runs",
            """{"name": "run-$unique", "pipeline_id": "$pipeline", "stack_id": "$stack", "status": "running", "start_time": "2026-01-02T03:04:05"}"""),
        On($"GET {V1}/runs/{{run_id}}", "run_id", "$run"),
        On($"PUT {V1}/runs/{{run_id}}", "run_id", "$run", """{"status": "completed", "end_time": "2026-03-01T10:00:00Z", "add_tags": ["nightly-$unique"]}"""),
        On($"GET {V1}/runs/{{run_id}}/dag", "run_id", "$run"),
        On($"GET {V1}/runs/{{run_id}}/logs", "run_id", "$run"),
        On($"POST {V1}/runs/{{run_id}}/stop", "run_id", "$run", query: "graceful=false"),
        On($"POST {V1}/runs/{{run_id}}/refresh", "run_id", "$run", query: "include_steps=true"),
        On($"DELETE {V1}/runs/{{run_id}}", "run_id", "$run"),

        new($"GET {V1}/steps", Query: "pipeline_run_id=$run&sort_by=desc:updated"),
        new($"POST {V1}/steps", """{"name": "step-$unique", "pipeline_run_id": "$run", "status": "running"}"""),
        On($"GET {V1}/steps/{{step_id}}", "step_id", "$zenStep"),
        On($"PUT {V1}/steps/{{step_id}}", "step_id", "$zenStep", """{"status": "completed", "end_time": "2026-03-01T10:00:00Z"}"""),
        On($"GET {V1}/steps/{{step_id}}/logs", "step_id", "$zenStep"),

        new($"GET {V1}/pipeline_snapshots", Query: "pipeline_id=$pipeline"),
        On($"GET {V1}/pipeline_snapshots/{{snapshot_id}}", "snapshot_id", "$deployment"),
        On($"PUT {V1}/pipeline_snapshots/{{snapshot_id}}", "snapshot_id", "$deployment", """{"name": "nightly-$unique", "description": "every night"}"""),

        new($"GET {V1}/flavors", Query: "type=orchestrator"),
        On($"GET {V1}/flavors/{{flavor_id}}", "flavor_id", "$flavor"),

        new($"GET {V1}/service_accounts", Query: "id=$zenServiceAccount"),
        new($"POST {V1}/service_accounts", """{"name": "bot-$unique", "description": "CI"}""")
        {
            Expect = 403, Why = "creating service accounts needs an admin account, and a world's caller is a plain user",
        },
        On($"GET {V1}/service_accounts/{{service_account_name_or_id}}", "service_account_name_or_id", "$zenServiceAccount"),
        On($"DELETE {V1}/service_accounts/{{service_account_name_or_id}}", "service_account_name_or_id", "$zenServiceAccount") with
        {
            Expect = 403, Why = "deleting service accounts needs an admin account, and a world's caller is a plain user",
        },
        On($"PUT {V1}/service_accounts/{{service_account_name_or_id}}", "service_account_name_or_id", "$zenServiceAccount", """{"description": "CI $unique", "active": false}""") with
        {
            Expect = 403, Why = "changing service accounts needs an admin account, and a world's caller is a plain user",
        },
        On($"GET {V1}/service_accounts/{{service_account_id}}/api_keys", "service_account_id", "$zenServiceAccount"),
        On($"POST {V1}/service_accounts/{{service_account_id}}/api_keys", "service_account_id", "$zenServiceAccount", """{"name": "key-$unique", "description": "CI"}""") with
        {
            Expect = 403, Why = "issuing API keys needs an admin account, and a world's caller is a plain user",
        },
        new($"GET {V1}/service_accounts/{{service_account_id}}/api_keys/{{api_key_name_or_id}}") { Path = $"{V1}/service_accounts/$zenServiceAccount/api_keys/default" },
        new($"PUT {V1}/service_accounts/{{service_account_id}}/api_keys/{{api_key_name_or_id}}", """{"active": false}""")
        {
            Path = $"{V1}/service_accounts/$zenServiceAccount/api_keys/default",
            Expect = 403, Why = "changing API keys needs an admin account, and a world's caller is a plain user",
        },
        new($"PUT {V1}/service_accounts/{{service_account_id}}/api_keys/{{api_key_name_or_id}}/rotate", """{"retain_period_minutes": 0}""")
        {
            Path = $"{V1}/service_accounts/$zenServiceAccount/api_keys/default/rotate",
            Expect = 403, Why = "rotating API keys needs an admin account, and a world's caller is a plain user",
        },
        new($"DELETE {V1}/service_accounts/{{service_account_id}}/api_keys/{{api_key_name_or_id}}")
        {
            Path = $"{V1}/service_accounts/$zenServiceAccount/api_keys/default",
            Expect = 403, Why = "removing API keys needs an admin account, and a world's caller is a plain user",
        },

        new($"GET {V1}/deployments", Query: "pipeline_id=$pipeline"),
        new($"POST {V1}/deployments", """{"pipeline_id": "$pipeline", "stack_id": "$stack", "status": "ready"}"""),
        On($"GET {V1}/deployments/{{deployment_id}}", "deployment_id", "$deployment"),
        On($"DELETE {V1}/deployments/{{deployment_id}}", "deployment_id", "$deployment"),

        new($"GET {V1}/schedules", Query: "pipeline_id=$pipeline&active=true"),
        new($"POST {V1}/schedules", """{"name": "schedule-$unique", "cron_expression": "0 2 * * *", "pipeline_id": "$pipeline"}"""),
        On($"GET {V1}/schedules/{{schedule_id}}", "schedule_id", "$schedule"),
        On($"PUT {V1}/schedules/{{schedule_id}}", "schedule_id", "$schedule", """{"active": false, "pipeline_id": "$pipeline"}"""),
        On($"DELETE {V1}/schedules/{{schedule_id}}", "schedule_id", "$schedule"),

        new($"GET {V1}/stacks", Query: "id=$stack"),
        new($"POST {V1}/stacks", """{"name": "stack-$unique", "description": "laptop", "components": {"orchestrator": ["$component"]}}"""),
        On($"GET {V1}/stacks/{{stack_id}}", "stack_id", "$stack"),
        On($"PUT {V1}/stacks/{{stack_id}}", "stack_id", "$stack", """{"description": "laptop $unique", "components": {"orchestrator": ["$component"]}}"""),
        On($"DELETE {V1}/stacks/{{stack_id}}", "stack_id", "$stack"),

        new($"GET {V1}/components", Query: "type=orchestrator"),
        new($"POST {V1}/components", """{"name": "store-$unique", "type": "artifact_store", "flavor": "local", "configuration": {"path": "/tmp/zenml"}}"""),
        On($"GET {V1}/components/{{component_id}}", "component_id", "$component"),
        On($"PUT {V1}/components/{{component_id}}", "component_id", "$component", """{"configuration": {"parallel": true}}"""),
        On($"DELETE {V1}/components/{{component_id}}", "component_id", "$component"),

        new($"GET {V1}/service_connector_types", Query: "resource_type=s3-bucket"),
        new($"GET {V1}/service_connector_types/{{connector_type}}") { Path = $"{V1}/service_connector_types/kubernetes" },
        new($"GET {V1}/service_connectors", Query: "connector_type=aws"),
        new($"POST {V1}/service_connectors",
            """{"name": "aws-$unique", "connector_type": "aws", "auth_method": "secret-key", "resource_types": ["s3-bucket"], "configuration": {"region": "eu-west-1"}}"""),
        new($"POST {V1}/service_connectors/verify",
            """{"name": "hub-$unique", "connector_type": "docker", "auth_method": "password", "configuration": {"username": "ci", "password": "pw-$unique"}}"""),
        On($"GET {V1}/service_connectors/{{connector_id}}", "connector_id", "$connector"),
        On($"PUT {V1}/service_connectors/{{connector_id}}", "connector_id", "$connector", """{"configuration": {"region": "us-east-1"}}"""),
        On($"DELETE {V1}/service_connectors/{{connector_id}}", "connector_id", "$connector"),

        new($"GET {V1}/artifacts", Query: "producer_step_run_id=$run"),
        new($"POST {V1}/artifacts",
            """{"name": "features-$unique", "type": "DataFrame", "uri": "s3://bucket/features/$unique", "materializer": "zenml.materializers.PandasMaterializer", "producer_step_run_id": "$run"}"""),
        On($"GET {V1}/artifacts/{{artifact_id}}", "artifact_id", "$zenArtifact"),
        On($"DELETE {V1}/artifacts/{{artifact_id}}", "artifact_id", "$zenArtifact"),
        new($"GET {V1}/artifact_versions", Query: "producer_step_run_id=$run&sort_by=desc:created"),
        On($"GET {V1}/artifact_versions/{{artifact_version_id}}", "artifact_version_id", "$zenArtifact"),

        new($"GET {V1}/models", Query: "id=$registered"),
        new($"POST {V1}/models", """{"name": "classifier-$unique", "description": "finds cats", "license": "MIT", "use_cases": "pets"}"""),
        On($"GET {V1}/models/{{model_name_or_id}}", "model_name_or_id", "$registered"),
        On($"PUT {V1}/models/{{model_name_or_id}}", "model_name_or_id", "$registered", """{"description": "rank things $unique"}"""),
        On($"DELETE {V1}/models/{{model_name_or_id}}", "model_name_or_id", "$registered"),

        new($"GET {V1}/model_versions", Query: "model_id=$registered"),
        new($"POST {V1}/model_versions", """{"model_id": "$registered", "name": "v-$unique", "description": "second", "stage": "staging"}"""),
        On($"GET {V1}/model_versions/{{model_version_id}}", "model_version_id", "$modelVersion"),
        On($"PUT {V1}/model_versions/{{model_version_id}}", "model_version_id", "$modelVersion", """{"stage": "production"}"""),
        On($"DELETE {V1}/model_versions/{{model_version_id}}", "model_version_id", "$modelVersion"),

        new($"GET {V1}/tags", Query: "name=contains:tag"),
        new($"POST {V1}/tags", """{"name": "nightly-$unique", "color": "blue", "exclusive": false}"""),
        On($"GET {V1}/tags/{{tag_name_or_id}}", "tag_name_or_id", "$zenTag"),
        On($"DELETE {V1}/tags/{{tag_name_or_id}}", "tag_name_or_id", "$zenTag"),

        new($"GET {V1}/code_repositories", Query: "project=$zenProject"),
        new($"POST {V1}/code_repositories",
            """{"name": "repo-$unique", "project": "$zenProject", "source": {"module": "zenml.integrations.gitlab.code_repositories", "attribute": "GitLabCodeRepository", "type": "internal"}, "config": {"project": "acme/pipelines"}}"""),
        On($"GET {V1}/code_repositories/{{code_repository_id}}", "code_repository_id", "$codeRepository"),
        On($"PUT {V1}/code_repositories/{{code_repository_id}}", "code_repository_id", "$codeRepository", """{"description": "pipelines $unique"}"""),
        On($"DELETE {V1}/code_repositories/{{code_repository_id}}", "code_repository_id", "$codeRepository"),

        new($"GET {V1}/secrets", Query: "scope=workspace"),
        new($"POST {V1}/secrets", """{"name": "aws-$unique", "values": {"key": "AKIA-zen", "secret": "s3cr3t-zen"}}"""),
        On($"GET {V1}/secrets/{{secret_id}}", "secret_id", "$secret"),
        On($"PUT {V1}/secrets/{{secret_id}}", "secret_id", "$secret", """{"values": {"password": "p2", "host": "db.example.com"}}"""),
        On($"DELETE {V1}/secrets/{{secret_id}}", "secret_id", "$secret"),
    ];
}
