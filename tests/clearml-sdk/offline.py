"""Offline mode with the unmodified SDK: `offline.py record WORK` runs a training script with Task.set_offline(True)
(no server call: everything goes to a session zip), `offline.py import WORK` uploads the zip with
Task.import_offline_session, and `offline.py verify WORK`, in a fresh process, checks the imported task is whole:
parameters, configuration, tags, scalars, a single value, a plot, a debug image, console output and artifacts
(uploaded under the new task's id). Exit 0 = PASS."""
import glob
import json

import numpy as np
import os
import sys

from clearml import Task

phase, work = sys.argv[1], sys.argv[2]
state = os.path.join(work, "offline.json")
failures = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

if phase == "record":
    Task.set_offline(True)
    task = Task.init(project_name="capture/offline", task_name="offline run", auto_connect_frameworks=False,
                     auto_resource_monitoring=False)
    params = task.connect({"lr": 0.05, "epochs": 4, "optimizer": "sgd"})
    task.connect_configuration({"layers": [16, 8], "dropout": 0.1}, name="net")
    task.set_tags(["offline"])
    log = task.get_logger()
    for i in range(20):
        log.report_scalar("loss", "train", value=1.0 / (i + 1), iteration=i)
        log.report_scalar("acc", "val", value=i / 20.0, iteration=i)
    log.report_single_value("best_acc", 0.95)
    log.report_table("confusion", "val", iteration=19, table_plot=[["", "cat", "dog"], ["cat", 9, 1], ["dog", 2, 8]])
    log.report_image("samples", "gradient", iteration=19, image=np.tile(np.arange(32, dtype=np.uint8) * 8, (32, 1)))
    log.report_text("offline console line one")
    print("offline stdout line two")
    task.upload_artifact("summary", {"epochs": 4, "final_loss": 0.05})
    with open(os.path.join(work, "notes.txt"), "w") as f:
        f.write("offline notes\n")
    task.upload_artifact("notes", os.path.join(work, "notes.txt"))
    folder = task.get_offline_mode_folder()
    task.close()
    zips = glob.glob(str(folder) + "*.zip")
    json.dump({"zip": zips[0] if zips else str(folder)}, open(state, "w"))
    print("offline session:", zips or folder)
elif phase == "import":
    session = json.load(open(state))["zip"]
    task_id = Task.import_offline_session(session)
    json.dump({"zip": session, "task": task_id}, open(state, "w"))
    print("imported as", task_id)
else:
    task_id = json.load(open(state))["task"]
    task = Task.get_task(task_id=task_id)
    check(task.name == "offline run", "name " + task.name)
    check(task.get_project_name() == "capture/offline", "project")
    check(task.get_status() == "completed", "status " + task.get_status())
    params = task.get_parameters()
    check(params.get("General/lr") == "0.05" and params.get("General/epochs") == "4", "params " + str(params))
    check(task.get_configuration_object_as_dict("net") == {"layers": [16, 8], "dropout": 0.1}, "configuration")
    check(task.get_tags() == ["offline"], "tags " + str(task.get_tags()))
    scalars = task.get_reported_scalars()
    check(scalars["loss"]["train"]["x"] == list(range(20)), "loss x")
    check([round(y, 6) for y in scalars["loss"]["train"]["y"]] == [round(1.0 / (i + 1), 6) for i in range(20)], "loss y")
    check(len(scalars["acc"]["val"]["y"]) == 20, "acc points")
    check(task.get_reported_single_value("best_acc") == 0.95, "single value")
    plots = task.get_reported_plots()
    check([(p["metric"], p["variant"], p["iter"]) for p in plots] == [("confusion", "val", 19)], "table plot")
    check("dog" in plots[0]["plot_str"], "table plot content")
    samples = task.get_debug_samples("samples", "gradient")
    check(len(samples) == 1 and task_id in samples[0]["url"], "debug image uploaded under the new id: " + str(samples))
    from clearml import StorageManager
    image = open(StorageManager.get_local_copy(samples[0]["url"]), "rb").read() if samples else b""
    check(image[:8] == b"\x89PNG\r\n\x1a\n" or image[:3] == b"\xff\xd8\xff",
          "debug image downloads as an image")
    console = "\n".join(task.get_reported_console_output(100))
    check("offline console line one" in console and "offline stdout line two" in console, "console " + console[:300])
    check(task.artifacts["summary"].get() == {"epochs": 4, "final_loss": 0.05}, "artifact summary")
    check(open(task.artifacts["notes"].get_local_copy()).read() == "offline notes\n", "artifact notes")
    check(task_id in task.artifacts["summary"].url, "artifact uploaded under the new id: " + task.artifacts["summary"].url)
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("offline: all checks passed")
