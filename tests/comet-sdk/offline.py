"""Live Comet SDK test, part 4: an OfflineExperiment writes its archive without a server; the SDK's own uploader sends
it; the API reads it back as a normal experiment."""
import json
import os
import sys
import tempfile

import comet_ml
from comet_ml.offline import main_upload

expected = json.load(open(sys.argv[1]))
directory = tempfile.mkdtemp()
experiment = comet_ml.OfflineExperiment(project_name="sdk-offline", offline_directory=directory)
experiment.set_name("offline-run")
experiment.log_parameter("lr", 0.02)
for step in range(5):
    experiment.log_metric("loss", 1.0 / (step + 1), step=step)
experiment.add_tag("offline")
key = experiment.get_key()
experiment.end()
archives = [os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".zip")]
assert len(archives) == 1, archives
main_upload(archives, force_upload=False)

read = comet_ml.API().get_experiment(expected["workspace"], "sdk-offline", key)
assert read is not None, "the uploaded experiment is not found"
assert sorted(m["step"] for m in read.get_metrics("loss")) == list(range(5)), read.get_metrics("loss")
values = {p["name"]: p["valueCurrent"] for p in read.get_parameters_summary()}
assert values.get("lr") == "0.02", values
assert "offline" in read.get_tags(), read.get_tags()
assert read.get_metadata()["running"] is False, read.get_metadata()
print("offline run checks passed")
