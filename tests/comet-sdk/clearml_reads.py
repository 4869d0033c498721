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
assert scalars["loss"]["loss"]["y"][:10] == [1.0 / (step + 1) for step in range(10)], scalars["loss"]  # resume.py adds step 10
console = task.get_reported_console_output(100)  # the console text, one string per reported batch
assert any("training finished" in text for text in console), console
print("clearml reads the comet run: ok")
