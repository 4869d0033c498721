"""(c) The model registry: create and register, versions from a run, stages, aliases, tags, searches, updates, deletes."""
import json
import os
import sys

import mlflow
from mlflow.tracking import MlflowClient
from checks import check, check_raises, guarded

NAME = "mlflow-live-model"


def main():
    ids = json.load(open(sys.argv[1]))
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    client = MlflowClient()
    created = client.create_registered_model(NAME, tags={"task": "classification"}, description="digits classifier")
    check("create_registered_model", created.name == NAME and created.description == "digits classifier" and created.tags == {"task": "classification"}, created)
    check_raises("a second model of the name is RESOURCE_ALREADY_EXISTS", "RESOURCE_ALREADY_EXISTS", lambda: client.create_registered_model(NAME))
    first = mlflow.register_model(f"runs:/{ids['live']}/model", NAME)
    check("register_model makes version 1", first.version == "1" and first.run_id == ids["live"], first)
    check("its source is the run's artifact folder", first.source.endswith(f"{ids['live']}/artifacts/model"), first.source)
    second = client.create_model_version(NAME, f"mlflow-artifacts:/{ids['experiment_id']}/{ids['failed']}/artifacts/model", ids["failed"],
                                         tags={"quality": "low"}, description="from the failed run")
    check("create_model_version makes version 2", second.version == "2" and second.tags == {"quality": "low"}, second)
    client.transition_model_version_stage(NAME, "1", "Staging")
    moved = client.transition_model_version_stage(NAME, "2", "Production")
    check("transition_model_version_stage", moved.current_stage == "Production", moved.current_stage)
    latest = {v.current_stage: v.version for v in client.get_latest_versions(NAME)}
    check("get_latest_versions per stage", latest == {"Staging": "1", "Production": "2"}, latest)
    check("get_latest_versions of one stage", [v.version for v in client.get_latest_versions(NAME, stages=["Production"])] == ["2"])
    client.set_registered_model_alias(NAME, "champion", "1")
    client.set_registered_model_alias(NAME, "champion", "2")
    check("get_model_version_by_alias follows the alias", client.get_model_version_by_alias(NAME, "champion").version == "2")
    check("the model lists its aliases", client.get_registered_model(NAME).aliases == {"champion": "2"})
    client.delete_registered_model_alias(NAME, "champion")
    check_raises("a deleted alias is RESOURCE_DOES_NOT_EXIST", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_model_version_by_alias(NAME, "champion"))
    client.set_registered_model_tag(NAME, "owner", "ml-team")
    client.delete_registered_model_tag(NAME, "task")
    check("registered model tags", client.get_registered_model(NAME).tags == {"owner": "ml-team"})
    client.set_model_version_tag(NAME, "1", "validated", "true")
    client.delete_model_version_tag(NAME, "2", "quality")
    check("model version tags", client.get_model_version(NAME, "1").tags == {"validated": "true"} and client.get_model_version(NAME, "2").tags == {})
    client.update_registered_model(NAME, description="updated")
    client.update_model_version(NAME, "1", description="first")
    check("updates", client.get_registered_model(NAME).description == "updated" and client.get_model_version(NAME, "1").description == "first")
    check("search_registered_models with LIKE", [m.name for m in client.search_registered_models(filter_string="name LIKE 'mlflow-live%'")] == [NAME])
    versions = client.search_model_versions(f"name = '{NAME}'")
    check("search_model_versions by name", sorted(v.version for v in versions) == ["1", "2"], versions)
    check("search_model_versions by run", [v.version for v in client.search_model_versions(f"run_id = '{ids['live']}'")] == ["1"])
    check("get_model_version_download_uri", client.get_model_version_download_uri(NAME, "1") == first.source)
    client.rename_registered_model(NAME, NAME + "-renamed")
    check("rename_registered_model", client.get_registered_model(NAME + "-renamed").latest_versions[0].name == NAME + "-renamed")
    client.rename_registered_model(NAME + "-renamed", NAME)
    client.delete_model_version(NAME, "1")
    check_raises("a deleted version is RESOURCE_DOES_NOT_EXIST", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_model_version(NAME, "1"))
    client.delete_registered_model(NAME)
    check_raises("a deleted model is RESOURCE_DOES_NOT_EXIST", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_registered_model(NAME))
    check("search_registered_models after the delete", client.search_registered_models(filter_string=f"name = '{NAME}'") == [])


guarded(main)
