"""Registers the model train.py logged (runs:/<live>/model) as the browser walk's model, with a second version in Staging.
Usage: seed.py IDS_JSON (train.py's ids); MLFLOW_TRACKING_URI and credentials from the environment."""
import json
import sys

import mlflow
from mlflow import MlflowClient

ids = json.load(open(sys.argv[1]))
client = MlflowClient()
name = "mlflow-ui-model"
client.create_registered_model(name, description="the browser walk's model")
mlflow.register_model(f"runs:/{ids['live']}/model", name)
second = mlflow.register_model(f"runs:/{ids['live']}/model", name)
client.transition_model_version_stage(name, second.version, "Staging")
ids["model"] = name
json.dump(ids, open(sys.argv[1], "w"))
print("seeded", ids)
