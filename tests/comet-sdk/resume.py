"""Live Comet SDK test, part 3: ExistingExperiment continues the run; a new API session sees what it added."""
import json
import sys

import comet_ml

expected = json.load(open(sys.argv[1]))
experiment = comet_ml.ExistingExperiment(previous_experiment=expected["key"])
experiment.log_metric("loss", 0.05, step=10, epoch=2)
experiment.log_parameter("resumed", True)
experiment.end()

read = comet_ml.API().get_experiment_by_key(expected["key"])
steps = sorted(m["step"] for m in read.get_metrics("loss"))
assert steps == list(range(11)), steps
values = {p["name"]: p["valueCurrent"] for p in read.get_parameters_summary()}
assert values.get("resumed") in ("true", "True"), values
assert read.get_metadata()["running"] is False
print("resumed run checks passed")
