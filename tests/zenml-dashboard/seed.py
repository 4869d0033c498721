"""Seeds what every dashboard page shows, through the wire APIs only: a pipeline with runs and steps (ZenML), a run
written by a ClearML client (a task with console output), stacks, components, a secret, a service connector, a
service account with an API key, a deployment of the pipeline whose snapshot is named. Usage: python3 seed.py <base url> <user> <password> <clearml access key> <secret key>"""
import base64
import json
import sys
import urllib.parse
import urllib.request

base, user, password, access_key, secret_key = sys.argv[1:6]


def call(method, path, body=None, headers=None, form=None):
    data = urllib.parse.urlencode(form).encode() if form else json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if body is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


token = call("POST", "/api/v1/login", form={"username": user, "password": password})["access_token"]
zen = {"Authorization": f"Bearer {token}"}


def zenml(method, path, body=None):
    return call(method, "/api/v1" + path, body, zen)


zenml("PUT", "/current-user", {"user_metadata": {"finished_onboarding_survey": True, "overview_tour_done": True}})
project = zenml("GET", "/projects/default")["id"]
connector = zenml("POST", "/service_connectors", {
    "name": "aws-dev", "connector_type": "aws", "auth_method": "secret-key", "resource_types": ["s3-bucket"],
    "configuration": {"region": "eu-west-1"}})
orchestrator = zenml("POST", "/components", {"name": "local-orchestrator", "type": "orchestrator", "flavor": "local", "configuration": {}})
store = zenml("POST", "/components", {"name": "local-store", "type": "artifact_store", "flavor": "local",
                                       "configuration": {"path": "/tmp/zenml-artifacts"}})
stack = zenml("POST", "/stacks", {"name": "dev-stack", "description": "local development",
                                   "components": {"orchestrator": [orchestrator["id"]], "artifact_store": [store["id"]]}})
zenml("POST", "/secrets", {"name": "db-credentials", "values": {"user": "etl", "password": "s3cr3t"}})
pipeline = zenml("POST", "/pipelines", {"name": "training_pipeline", "project_id": project, "description": "trains the model",
                                         "spec": {"steps": ["load_data", "train_model"]}})
for index, status in enumerate(["completed", "failed"]):
    run = zenml("POST", "/runs", {"name": f"training_pipeline-run-{index + 1}", "pipeline_id": pipeline["id"], "stack_id": stack["id"],
                                  "project_id": project, "status": status,
                                  "start_time": "2024-05-01T10:00:00", "end_time": "2024-05-01T10:05:00"})
    for step in ["load_data", "train_model"]:
        zenml("POST", "/steps", {"name": step, "pipeline_run_id": run["id"], "status": status,
                                 "start_time": "2024-05-01T10:00:00", "end_time": "2024-05-01T10:02:00"})
zenml("POST", "/service_accounts", {"name": "ci-bot", "description": "CI pipelines", "active": True})
deployment = zenml("POST", "/deployments", {"pipeline_id": pipeline["id"], "stack_id": stack["id"], "status": "running"})
zenml("PUT", f"/pipeline_snapshots/{deployment['id']}", {"name": "nightly-training", "description": "runs every night"})

# A run written by a ClearML client: a task with output in its console.
basic = base64.b64encode(f"{access_key}:{secret_key}".encode()).decode()
clearml_token = call("POST", "/auth.login", {}, {"Authorization": f"Basic {basic}"})["data"]["token"]
clearml = {"Authorization": f"Bearer {clearml_token}"}
task = call("POST", "/tasks.create", {"name": "clearml-training", "type": "training", "project": project}, clearml)["data"]["id"]
call("POST", "/tasks.started", {"task": task}, clearml)
call("POST", "/events.add_batch", [{"type": "log", "task": task, "level": "info", "msg": "epoch 1 loss 0.42", "timestamp": 1714557600000}], clearml)
call("POST", "/tasks.completed", {"task": task}, clearml)
print("seeded")
