"""(b) A fresh process reads everything back with MlflowClient: experiment search, run search with filter strings and
order_by (and pages), get_run, the metric history, the artifact listing and byte-equal downloads, and MLflow's errors."""
import json
import os
import sys
import tempfile

import mlflow
from mlflow.entities import ViewType
from mlflow.tracking import MlflowClient
from checks import check, check_raises, guarded

BINARY = bytes(range(256)) * 4


def main():
    ids = json.load(open(sys.argv[1]))
    client = MlflowClient(os.environ["MLFLOW_TRACKING_URI"])
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    found = client.search_experiments(filter_string="name = 'mlflow-live'")
    check("search_experiments finds the experiment by name", [e.experiment_id for e in found] == [ids["experiment_id"]], found)
    check("search_experiments with LIKE", any(e.name == "mlflow-live" for e in client.search_experiments(filter_string="name LIKE 'mlflow-%'")))
    check("get_experiment_by_name", client.get_experiment_by_name("mlflow-live").experiment_id == ids["experiment_id"])
    check("a missing experiment name is None", client.get_experiment_by_name("no-such-experiment") is None)
    exp = [ids["experiment_id"]]

    runs = client.search_runs(exp, filter_string="metrics.loss < 0.2 and params.optimizer = 'adam'")
    check("search_runs by metric and param", [r.info.run_id for r in runs] == [ids["live"]], [r.info.run_name for r in runs])
    runs = client.search_runs(exp, order_by=["metrics.loss DESC"])
    check("order_by metrics.loss DESC", [r.info.run_id for r in runs] == [ids["failed"], ids["live"]], [r.info.run_name for r in runs])
    runs = client.search_runs(exp, order_by=["attributes.start_time ASC"])
    check("order_by start_time ASC", [r.info.run_id for r in runs] == [ids["live"], ids["failed"]], [r.info.run_name for r in runs])
    check("filter on status", [r.info.run_id for r in client.search_runs(exp, filter_string="attributes.status = 'FAILED'")] == [ids["failed"]])
    check("filter on tags with LIKE", [r.info.run_id for r in client.search_runs(exp, filter_string="tags.mlflow.runName LIKE 'live%'")] == [ids["live"]])
    check("filter on a tag", [r.info.run_id for r in client.search_runs(exp, filter_string="tags.stage = 'baseline'")] == [ids["live"]])
    check("filter on run_name ILIKE", len(client.search_runs(exp, filter_string="attributes.run_name ILIKE '%RUN'")) == 2)
    check("run_view_type ALL sees the deleted run", len(client.search_runs(exp, run_view_type=ViewType.ALL)) == 3)
    deleted = client.search_runs(exp, run_view_type=ViewType.DELETED_ONLY)
    check("run_view_type DELETED_ONLY", [r.info.run_id for r in deleted] == [ids["discarded"]])
    first = client.search_runs(exp, max_results=1, order_by=["attributes.start_time ASC"])
    second = client.search_runs(exp, max_results=1, order_by=["attributes.start_time ASC"], page_token=first.token)
    check("search_runs pages with page tokens", [r.info.run_id for r in first + second] == [ids["live"], ids["failed"]] and first.token)
    check_raises("a malformed filter is INVALID_PARAMETER_VALUE", "INVALID_PARAMETER_VALUE",
                 lambda: client.search_runs(exp, filter_string="metrics.loss << 1"))

    run = client.get_run(ids["live"])
    check("get_run params", run.data.params["lr"] == "0.01" and run.data.params["batch_size"] == "32")
    check("get_run metrics", run.data.metrics["loss"] == 0.1 and run.data.metrics["val/loss"] == 0.25)
    history = client.get_metric_history(ids["live"], "loss")
    check("get_metric_history has every step", [m.step for m in history] == list(range(10)), [m.step for m in history])
    check("get_metric_history values", [round(m.value, 6) for m in history] == [round(1.0 / (s + 1), 6) for s in range(10)])
    check("a metric with a slash reads back", [m.value for m in client.get_metric_history(ids["live"], "val/loss")] == [0.25])

    top = {f.path: f for f in client.list_artifacts(ids["live"])}
    check("list_artifacts at the root", sorted(top) == ["config", "data", "model", "notes.txt", "text"], sorted(top))
    check("folders are folders", top["model"].is_dir and not top["notes.txt"].is_dir and top["notes.txt"].file_size == 20)
    inner = sorted(f.path for f in client.list_artifacts(ids["live"], "model"))
    check("list_artifacts in a folder", inner == ["model/MLmodel", "model/weights.bin"], inner)
    check("list_artifacts in another folder", sorted(f.path for f in client.list_artifacts(ids["live"], "data")) == ["data/test.csv", "data/train.csv"])
    target = tempfile.mkdtemp()
    local = client.download_artifacts(ids["live"], "model", target)
    check("download_artifacts is byte-equal", open(os.path.join(local, "weights.bin"), "rb").read() == BINARY)
    check("a downloaded text file", open(client.download_artifacts(ids["live"], "notes.txt", target)).read() == "notes about the run\n")
    check("load_model's metadata: the MLmodel names the flavor", "live_weights" in open(os.path.join(local, "MLmodel")).read())
    check("load_dict", mlflow.artifacts.load_dict(f"runs:/{ids['live']}/config/params.json") == {"layers": [64, 32], "dropout": 0.1})
    check("load_text", mlflow.artifacts.load_text(f"runs:/{ids['live']}/text/hello.txt") == "hello from mlflow\n")

    client.set_tag(ids["live"], "reviewed", "yes")
    client.delete_tag(ids["live"], "team")
    tags = client.get_run(ids["live"]).data.tags
    check("set_tag and delete_tag", tags.get("reviewed") == "yes" and "team" not in tags, tags)
    check_raises("deleting a missing tag is RESOURCE_DOES_NOT_EXIST", "RESOURCE_DOES_NOT_EXIST", lambda: client.delete_tag(ids["live"], "team"))
    check_raises("changing a logged param is INVALID_PARAMETER_VALUE", "INVALID_PARAMETER_VALUE", lambda: client.log_param(ids["live"], "lr", 0.5))
    client.log_param(ids["live"], "lr", "0.01")
    check("logging a param again with its value is fine", client.get_run(ids["live"]).data.params["lr"] == "0.01")
    check_raises("an unknown run is RESOURCE_DOES_NOT_EXIST", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_run("0" * 32))
    check_raises("logging to a deleted run is refused", "INVALID_PARAMETER_VALUE", lambda: client.log_metric(ids["discarded"], "loss", 1.0))
    client.restore_run(ids["discarded"])
    check("restore_run", client.get_run(ids["discarded"]).info.lifecycle_stage == "active")
    client.delete_run(ids["discarded"])
    check_raises("creating an existing experiment is RESOURCE_ALREADY_EXISTS", "RESOURCE_ALREADY_EXISTS", lambda: client.create_experiment("mlflow-live"))
    client.set_experiment_tag(ids["experiment_id"], "owner", "ml-team")
    check("set_experiment_tag", client.get_experiment(ids["experiment_id"]).tags.get("owner") == "ml-team")


guarded(main)
