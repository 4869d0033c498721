"""(a) A fluent training run as a script logs it: set_experiment, start_run, params, metrics over steps, tags, a model
(a model folder with a binary weights file, recorded as log_model records it), artifacts (one file, a folder, a dict, a text), end_run; then a failed run and a deleted run beside it. Writes
the ids to the JSON file named by argv[1] for the next scenarios."""
import json
import os
import sys
import tempfile

import mlflow
from mlflow.models.model import Model
from checks import check, guarded

BINARY = bytes(range(256)) * 4  # every byte value, NULs included


def log_model(work, run_id):
    """What every mlflow.<flavor>.log_model does after saving the model: upload its folder (an MLmodel naming a minimal
    flavor, the weights) and record it with the run (runs/log-model). The flavors themselves import pandas, which
    Debian's packages set up by mlflow-client-env.sh do not include, so the two steps are called as log_model calls them."""
    folder = os.path.join(work, "model")
    os.makedirs(folder)
    with open(os.path.join(folder, "weights.bin"), "wb") as f:
        f.write(BINARY)
    model = Model(artifact_path="model", run_id=run_id)
    model.add_flavor("live_weights", data="weights.bin")
    model.save(os.path.join(folder, "MLmodel"))
    mlflow.log_artifacts(folder, artifact_path="model")
    mlflow.tracking.fluent._record_logged_model(model)


def main():
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    experiment = mlflow.set_experiment("mlflow-live")
    check("set_experiment creates the experiment", experiment.name == "mlflow-live" and experiment.lifecycle_stage == "active")
    work = tempfile.mkdtemp()
    with mlflow.start_run(run_name="live-run", description="a live run") as run:
        mlflow.log_param("lr", 0.01)
        mlflow.log_params({"optimizer": "adam", "batch_size": 32})
        for step in range(10):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"accuracy": 0.91, "val/loss": 0.25}, step=9)
        mlflow.set_tag("stage", "baseline")
        mlflow.set_tags({"team": "ml", "dataset": "digits"})
        notes = os.path.join(work, "notes.txt")
        with open(notes, "w") as f:
            f.write("notes about the run\n")
        mlflow.log_artifact(notes)
        log_model(work, run.info.run_id)
        data = os.path.join(work, "data")
        os.makedirs(data)
        for name, rows in (("train.csv", "x,y\n1,2\n"), ("test.csv", "x,y\n3,4\n")):
            with open(os.path.join(data, name), "w") as f:
                f.write(rows)
        mlflow.log_artifacts(data, artifact_path="data")
        mlflow.log_dict({"layers": [64, 32], "dropout": 0.1}, "config/params.json")
        mlflow.log_text("hello from mlflow\n", "text/hello.txt")
        live_id = run.info.run_id
    finished = mlflow.get_run(live_id)
    check("the run ends FINISHED", finished.info.status == "FINISHED", finished.info.status)
    check("the run keeps its name", finished.info.run_name == "live-run", finished.info.run_name)
    check("params read back as logged", finished.data.params == {"lr": "0.01", "optimizer": "adam", "batch_size": "32"}, finished.data.params)
    check("latest metrics read back", finished.data.metrics == {"loss": 0.1, "accuracy": 0.91, "val/loss": 0.25}, finished.data.metrics)
    check("tags read back", all(finished.data.tags.get(k) == v for k, v in {"stage": "baseline", "team": "ml", "dataset": "digits"}.items()), finished.data.tags)
    check("the description is the note tag", finished.data.tags.get("mlflow.note.content") == "a live run", finished.data.tags)
    check("the client's system tags are kept", "mlflow.source.name" in finished.data.tags and "mlflow.user" in finished.data.tags, finished.data.tags)
    check("the artifact root is served by the server", finished.info.artifact_uri.startswith("mlflow-artifacts:/"), finished.info.artifact_uri)
    history = json.loads(finished.data.tags.get("mlflow.log-model.history", "[]"))
    check("log_model records the model in the run's history", [m["artifact_path"] for m in history] == ["model"], history)

    with mlflow.start_run(run_name="failed-run") as failed:
        mlflow.log_metric("loss", 0.5, step=0)
        mlflow.log_param("lr", 0.1)
    mlflow.tracking.MlflowClient().set_terminated(failed.info.run_id, status="FAILED")
    check("a run can end FAILED", mlflow.get_run(failed.info.run_id).info.status == "FAILED")

    with mlflow.start_run(run_name="discarded-run") as discarded:
        mlflow.log_metric("loss", 9.0)
    mlflow.delete_run(discarded.info.run_id)
    check("a deleted run is in lifecycle deleted", mlflow.get_run(discarded.info.run_id).info.lifecycle_stage == "deleted")

    with open(sys.argv[1], "w") as out:
        json.dump({"experiment_id": experiment.experiment_id, "live": live_id, "failed": failed.info.run_id,
                   "discarded": discarded.info.run_id}, out)


guarded(main)
