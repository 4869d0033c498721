"""Live Comet SDK test, part 5 (optional): the ClearML SDK reads the run comet_ml logged as a ClearML task.
argv[1] = train.py's JSON. Needs the ClearML SDK on PYTHONPATH and CLEARML_* pointing at the server."""
import json
import sys

from clearml import Task

expected = json.load(open(sys.argv[1]))
task = Task.get_task(task_id=expected["key"])
assert task.name == "live-run", task.name
assert task.get_status() == "completed", task.get_status()
parameters = task.get_parameters()
assert parameters.get("General/lr") == "0.01", parameters
scalars = task.get_reported_scalars()
assert scalars["loss"]["loss"]["y"] == [1.0 / (step + 1) for step in range(10)], scalars["loss"]
assert "training finished" in "".join(line.get("msg", "") for line in task.get_reported_console_output(100) or []) \
    or any("training finished" in str(line) for line in task.get_reported_console_output(100)), "console"
print("clearml reads the comet run: ok")
