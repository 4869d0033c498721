namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// A realistic request for each Comet route (see <see cref="Probe"/>). Where Comet takes an object by id or by
/// workspace and name, the probe names it by id, and where the workspace name is optional (it defaults to the caller's)
/// the probe leaves it out: aimed at another workspace, it then reaches the store rather than stopping at the check
/// that a named workspace is the caller's. Routes that require the name send <c>$workspace</c>.
/// </summary>
public static class CometProbes
{
    private const string V2 = "/api/rest/v2";
    private const string Lib = "/clientlib";

    public static readonly Probe[] All =
    [
        // Workspaces, members, service accounts.
        new($"GET {V2}/account-details"),
        new($"GET {V2}/workspaces"),
        new($"POST {V2}/write/workspace/new", """{"name": "$unique"}"""),
        new($"POST {V2}/write/add-workspace-member", """{"userName": "$cometUser", "workspaceName": "$team", "admin": false}"""),
        new($"POST {V2}/write/service-account", """{"name": "$unique", "teamName": "$team", "organizationName": "org"}"""),
        new($"GET {V2}/write/api/rotate", Query: "userName=$serviceAccount&workspaceName=$team"),

        // Projects.
        new($"GET {V2}/projects", Query: "workspaceName=$workspace"),
        new($"GET {V2}/project", Query: "projectId=$project"),
        new($"POST {V2}/write/project/create", """{"workspaceName": "$workspace", "projectName": "$unique", "projectDescription": "cnn", "isPublic": false}"""),
        new($"POST {V2}/write/project/delete", """{"workspaceName": "$workspace", "projectName": "$projectName", "deleteAllExperiments": true}"""),
        new($"POST {V2}/write/project/update", """{"newProjectName": "$unique", "newProjectDescription": "renamed"}""", Query: "projectId=$project"),
        new($"GET {V2}/project/notes", Query: "projectId=$project"),
        new($"POST {V2}/write/project/notes", """{"projectId": "$project", "notes": "remember the seed"}"""),
        new($"GET {V2}/project/column-names", Query: "projectId=$project"),
        new($"GET {V2}/write/project/add-share-link", Query: "projectId=$project"),
        new($"GET {V2}/write/project/delete-project-share-link", Query: "projectId=$project&shareCode=$shareCode"),
        new($"GET {V2}/write/project/symlink", Query: "experimentKey=$experiment&projectName=$unique"),
        new($"POST {V2}/project/query",
            """{"projectId": "$project", "predicates": [{"field": "$cometMetric", "source": "metrics", "operator": "greater", "value": 0}], "archived": false}"""),

        // Experiments.
        new($"GET {V2}/experiments", Query: "projectId=$project"),
        new($"GET {V2}/experiment/metadata", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/create", """{"workspaceName": "$workspace", "projectName": "$projectName", "experimentName": "$unique"}"""),
        new($"GET {V2}/write/experiment/stop", Query: "experimentKey=$experiment"),
        new($"GET {V2}/write/experiment/archive", Query: "experimentKey=$experiment"),
        new($"GET {V2}/write/experiment/restore", Query: "experimentKey=$experiment"),
        new($"GET {V2}/write/experiment/delete", Query: "experimentKey=$experiment"),
        new($"GET {V2}/write/experiment/set-status", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/update-status", """{"experimentKey": "$experiment", "isAlive": true, "error": null, "hasCrashed": false}"""),
        new($"POST {V2}/write/experiment/set-start-end-time", """{"experimentKey": "$experiment", "startTimeMillis": 1790000000000, "endTimeMillis": 1790000060000}"""),
        new($"POST {V2}/write/experiment/move",
            """{"targetWorkspaceName": "$workspace", "targetProjectName": "$unique", "experimentKeys": ["$experiment"], "symlink": false}"""),

        // Metrics.
        new($"POST {V2}/write/experiment/metric", """{"experimentKey": "$experiment", "metricName": "$cometMetric", "metricValue": 2.5, "step": 2}"""),
        new($"POST {V2}/write/experiment/metrics/batch",
            """{"experimentKey": "$experiment", "metrics": [{"metricName": "$cometMetric", "metricValue": 0.5, "step": 2}, {"metricName": "$cometMetric", "metricValue": "0.75", "step": 3, "context": "val"}]}"""),
        new($"GET {V2}/experiment/metrics/summary", Query: "experimentKey=$experiment"),
        new($"GET {V2}/experiment/metrics/get-metric", Query: "experimentKey=$experiment&metricName=$cometMetric"),
        new($"GET {V2}/experiment/metrics/get-all", Query: "experimentKey=$experiment"),
        new($"POST {V2}/experiments/multi-metric-chart",
            """{"targetedExperiments": ["$experiment", "$task"], "metrics": ["$cometMetric", "$metric"], "params": ["Args/p"], "independentMetrics": false, "fetchFull": true}"""),
        new($"POST {V2}/write/experiment/gpu-metrics",
            """{"experimentKey": "$experiment", "gpus": [{"gpuId": 0, "freeMemory": 10, "usedMemory": 6, "gpuUtilization": 80, "totalMemory": 16}], "step": 1}"""),
        new($"POST {V2}/write/experiment/ram-metrics", """{"experimentKey": "$experiment", "totalRam": 64, "usedRam": 12}"""),
        new($"POST {V2}/write/experiment/cpu-metrics", """{"experimentKey": "$experiment", "cpuPercentUtilization": [12, 99]}"""),
        new($"POST {V2}/write/experiment/load-metrics", """{"experimentKey": "$experiment", "loadAverage": 1.5}"""),

        // Parameters and others ($task's hyperparameter carries the world's marker).
        new($"POST {V2}/write/experiment/parameter", """{"experimentKey": "$experiment", "parameterName": "lr", "parameterValue": 0.01}"""),
        new($"POST {V2}/write/experiment/parameter/delete", """{"experimentKey": "$experiment", "parameterName": "lr"}"""),
        new($"POST {V2}/write/experiment/log-other", """{"experimentKey": "$experiment", "key": "dataset", "value": "mnist"}"""),
        new($"GET {V2}/experiment/parameters", Query: "experimentKey=$task"),
        new($"GET {V2}/experiment/log-other", Query: "experimentKey=$experiment"),

        // Per-experiment documents ($task's console carries the world's marker).
        new($"POST {V2}/write/experiment/tags", """{"experimentKey": "$experiment", "addedTags": ["candidate"]}"""),
        new($"POST {V2}/write/experiment/tags/delete", """{"experimentKey": "$experiment", "tags": ["candidate"]}"""),
        new($"GET {V2}/experiment/tags", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/html", """{"experimentKey": "$experiment", "html": "<p>1</p>", "override": true}"""),
        new($"GET {V2}/experiment/html", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/code", """{"experimentKey": "$experiment", "code": "print('hi')"}"""),
        new($"GET {V2}/experiment/code", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/graph", """{"experimentKey": "$experiment", "graph": "Linear(3, 1)"}"""),
        new($"GET {V2}/experiment/graph", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/system-details",
            """{"experimentKey": "$experiment", "hostname": "gpu-box", "pid": 42, "os": "Linux", "installedPackages": ["numpy==1.26"]}"""),
        new($"POST {V2}/write/experiment/cloud-details", """{"experimentKey": "$experiment", "provider": "aws", "metadata": {"region": "eu-west-1"}}"""),
        new($"POST {V2}/write/experiment/file-path", """{"experimentKey": "$experiment", "filePath": "/src/train.py"}"""),
        new($"POST {V2}/write/experiment/upload-text-sample", """{"experimentKey": "$experiment", "step": 3, "context": "val", "content": "a generated sentence"}"""),
        new($"GET {V2}/experiment/system-details", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/git/metadata",
            """{"experimentKey": "$experiment", "user": "ann", "root": "/src", "branch": "main", "parent": "abc123", "origin": "git@host:repo.git"}"""),
        new($"GET {V2}/experiment/git/metadata", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/git/patch", Query: "experimentKey=$experiment")
        {
            Multipart = [("file", "patch.diff", "--- a\n+++ b\n")],
        },
        new($"GET {V2}/experiment/git/patch", Query: "experimentKey=$experiment"),
        new($"POST {V2}/write/experiment/output",
            """{"experimentKey": "$experiment", "outputLines": [{"output": "epoch 1", "stderr": false, "localTimestamp": 1790000000000, "offset": 0}, {"output": "warning!", "stderr": true, "localTimestamp": 1790000000001, "offset": 1}]}"""),
        new($"GET {V2}/experiment/output", Query: "experimentKey=$task"),

        // Assets ($asset is the world's model file, whose name and bytes carry its marker).
        new($"POST {V2}/write/experiment/upload-asset", Query: "experimentKey=$experiment&fileName=data.csv&step=7&context=train")
        {
            Multipart = [("file", "data.csv", "a,b\n1,2\n")],
        },
        new($"POST {V2}/write/experiment/assets/remote/batch",
            """{"experimentKey": "$experiment", "remoteAssets": [{"assetId": "$unique", "type": "dataset", "fileName": "s3.txt", "link": "s3://bucket/s3.txt"}]}"""),
        new($"GET {V2}/experiment/asset/list", Query: "experimentKey=$experiment&type=all"),
        new($"GET {V2}/experiment/asset/get-asset", Query: "experimentKey=$experiment&assetId=$asset"),
        new($"GET {V2}/experiment/image/get-image", Query: "experimentKey=$experiment&imageId=$asset"),
        new($"POST {V2}/write/experiment/asset/delete", "{}", Query: "experimentKey=$experiment&assetId=$asset"),
        new($"POST {V2}/write/experiment/asset/tag", """{"experimentKey": "$experiment", "assetId": "$asset", "tags": ["raw", "v1"]}"""),
        new($"GET {V2}/write/experiment/asset/tag/delete", Query: "experimentKey=$experiment&assetId=$asset&tag=v1"),

        // Experiment models and their files.
        new($"GET {V2}/experiment/model", Query: "experimentKey=$experiment"),
        new($"GET {V2}/experiment/model/asset/list", Query: "experimentKey=$experiment&modelName=$cometModelName"),
        new($"GET {V2}/experiment/model/download", Query: "experimentKey=$experiment&modelName=$cometModelName"),

        // The model registry.
        new($"GET {V2}/registry-model", Query: "workspaceName=$workspace"),
        new($"GET {V2}/registry-model/count", Query: "workspaceName=$workspace"),
        new($"GET {V2}/registry-model/details", Query: "modelName=$registryModel"),
        new($"GET {V2}/registry-model/notes", Query: "modelName=$registryModel"),
        new($"GET {V2}/registry-model/item/download", Query: "modelName=$registryModel&stage=production"),
        new($"POST {V2}/write/registry-model",
            """{"experimentModelId": "$cometModel", "registryModelName": "$unique", "description": "cnn", "isPublic": false, "version": "1.0.0", "comment": "first", "stages": ["staging"]}"""),
        new($"POST {V2}/write/registry-model/item", """{"experimentModelId": "$cometModel", "registryModelName": "$registryModel", "version": "1.1.0", "comment": "retrained"}"""),
        new($"POST {V2}/write/registry-model/item/update", """{"registryModelItemId": "$modelItem", "comment": "checked", "stages": ["production", "staging"]}"""),
        new($"GET {V2}/write/registry-model/item/delete", Query: "modelItemId=$modelItem"),
        new($"POST {V2}/write/registry-model/update", """{"registryModelId": "$registryModelId", "registryModelName": "$unique", "description": "renamed", "isPublic": false}"""),
        new($"POST {V2}/write/registry-model/notes", """{"registryModelName": "$registryModel", "notes": "ship it"}"""),
        new($"GET {V2}/write/registry-model/delete", Query: "modelName=$registryModel"),
        new($"GET {V2}/write/registry-model/item/stage", Query: "modelItemId=$modelItem&stage=staging"),
        new($"GET {V2}/write/registry-model/item/stage/delete", Query: "modelItemId=$modelItem&stage=production"),
        new($"POST {V2}/webhooks/config",
            """{"webhookConfigs": [{"workspaceName": "$workspace", "modelName": "$registryModel", "webhookUrls": [{"url": "https://hooks.example.com/$unique", "header": {"Authorization": "token"}}]}]}"""),
        new($"PUT {V2}/webhooks/config",
            """{"webhookConfigs": [{"workspaceName": "$workspace", "modelName": "$registryModel", "webhookUrls": [{"url": "https://hooks.example.com/$unique"}]}]}"""),

        // Artifacts ($artifact's name and file carry the world's marker).
        new($"POST {V2}/write/artifacts/upsert", """{"experimentKey": "$experiment", "artifactName": "$artifactName", "artifactType": "dataset", "alias": ["latest"]}"""),
        new($"POST {V2}/write/artifacts/state", """{"experimentKey": "$experiment", "artifactVersionId": "$artifactVersion", "state": "CLOSED"}"""),
        new($"POST {V2}/write/artifacts/details", """{"artifactId": "$artifact", "artifactType": null, "versionMetadata": null, "version": null, "tags": ["clean"]}"""),
        new($"POST {V2}/write/artifacts/version/labels", """{"artifactVersionId": "$artifactVersion", "alias": ["best"], "versionMetadata": null, "versionTags": ["checked"]}"""),
        new($"POST {V2}/write/artifact/assets/remote/batch",
            """{"remoteArtifactAssetRequests": [{"assetId": "$unique", "type": "asset", "fileName": "s3.txt", "link": "s3://bucket/s3.txt", "isRemote": true, "step": null, "artifactVersionId": "$artifactVersion"}]}""",
            Query: "experimentKey=$experiment"),
        new($"GET {V2}/artifacts/get", Query: "artifactId=$artifact"),
        new($"GET {V2}/artifacts/get-all", Query: "experimentKey=$experiment"),
        new($"GET {V2}/artifacts/version", Query: "artifactId=$artifact&versionId=$artifactVersion"),
        new($"GET {V2}/artifacts/version/files", Query: "artifactId=$artifact&versionId=$artifactVersion"),
        new($"GET {V2}/artifacts/version/download", Query: "artifactId=$artifact&versionId=$artifactVersion&experimentKey=$experiment"),

        // Panels and remote calls.
        new($"GET {V2}/viz-instance/store/get", Query: "projectId=$project&instanceId=$vizInstance"),
        new($"POST {V2}/write/viz-instance/store/save", """{"instanceId": "$vizInstance", "projectId": "$project", "store": "{\"zoom\": 2}"}"""),
        new($"POST {V2}/write/template/upload", Query: "name=$unique.py")
        {
            Multipart = [("file", "panel.py", "print('panel')")],
        },
        new($"POST {V2}/write/experiment/rpc/send",
            """{"experimentKey": "$experiment", "functionName": "stop_early", "arguments": [{"name": "patience", "value": 3}]}"""),

        // The clientlib protocol (comet_ml's Experiment), its keys chosen by the client.
        new($"POST {Lib}/logger/add/run", """{"experimentKey": "$uniqueKey", "projectName": "$projectName", "offline": false, "getOrCreateEnabled": false}"""),
        new($"POST {Lib}/logger/get/run", """{"previousExperiment": "$experiment", "libVersion": "3.54.0"}"""),
        new($"POST {Lib}/logger/copy-steps-from-experiment", """{"copiedExperimentKey": "$experiment", "newExperimentKey": "$uniqueKey", "stepToCopyTo": 5}"""),
        new($"POST {Lib}/status-report/update", """{"runId": "r1", "experimentKey": "$experiment", "projectId": "$project", "is_alive": true, "offline": false}"""),
        new($"POST {Lib}/status-report/offline-metadata", """{"experimentKey": "$experiment", "startTimestamp": 1790000000000, "endTimestamp": 1790000060000}"""),
        new($"POST {Lib}/asset/3d-limits", """{"experimentKey": "$experiment"}"""),
        new($"GET {Lib}/symlink/new", Query: "experimentKey=$experiment&projectName=$unique"),
        new($"POST {Lib}/notification/experiment", """{"experiment_key": "$experiment", "title": "done", "status": "finished"}"""),
        new($"POST {Lib}/notify/event", """{"event_name": "sdk_experiment_ended", "experiment_key": "$experiment"}"""),
        new($"POST {Lib}/batch/logger/experiment/metric",
            """{"experimentKey": "$experiment", "values": [{"metricName": "$cometMetric", "metricValue": 0.5, "step": 3, "epoch": 1, "context": null, "timestamp": 1790000000000}]}"""),
        new($"POST {Lib}/batch/logger/experiment/parameter",
            """{"experimentKey": "$experiment", "values": [{"parameterName": "lr", "parameterValue": 0.1, "step": null, "source": "manual", "context": null, "timestamp": 1790000000000}]}"""),
        new($"POST {Lib}/tags/add-tags-to-experiment", """{"experimentKey": "$experiment", "addedTags": ["candidate"]}"""),
        new($"POST {Lib}/asset/upload", Query: "experimentId=$experiment&assetId=$uniqueKey&fileName=data.csv&type=asset&overwrite=False")
        {
            Multipart = [("file", "file", "a,b\n1,2\n"), ("metadata", null, "{\"rows\": 1}")],
        },
        new($"POST {Lib}/visualizations/upload", Query: "experimentId=$experiment&assetId=$uniqueKey&fileName=plot.svg&type=visualization")
        {
            Multipart = [("file", "file", "<svg/>")],
        },
        new($"POST {Lib}/git-patch/upload", Query: "experimentId=$experiment")
        {
            Multipart = [("file", "file", "--- a\n+++ b\n")],
        },
        new($"POST {Lib}/asset", """{"experimentKey": "$experiment", "userFileName": "scene", "assetType": "3d-image", "step": 1}"""),
        new($"POST {Lib}/asset/asset-item")
        {
            Multipart = [("requestParams", null, "{\"experimentKey\": \"$experiment\", \"assetId\": \"$asset\", \"userFileName\": \"points.json\", \"assetItemType\": \"points\"}"),
                ("assetItemContent", "file", "[[0, 0, 0]]")],
        },
        new($"PUT {Lib}/asset/{{assetId}}/thumbnail")
        {
            PathValues = new Dictionary<string, string> { ["assetId"] = "$asset" },
            Multipart = [("requestParams", null, "{\"experimentKey\": \"$experiment\", \"thumbnailExtension\": \".png\"}"), ("thumbnail", "file", "png")],
        },
        new($"GET {Lib}/rpc/get-pending-rpcs", Query: "experimentKey=$experiment"),
        new($"POST {Lib}/rpc/register-rpc", """{"experimentKey": "$experiment", "functionName": "stop_early", "functionDocumentation": "", "argumentNames": ["patience"]}"""),
        new($"POST {Lib}/rpc/save-rpc-result",
            """{"experimentKey": "$experiment", "callId": "$remoteCall", "result": "stopped", "errorMessage": "", "errorStackTrace": "", "startTimeMs": 1790000000000, "endTimeMs": 1790000000001}"""),
    ];
}
