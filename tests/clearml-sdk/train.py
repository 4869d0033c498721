"""Live ClearML SDK test, part 1: a training script written the ordinary way with the unmodified SDK.
Writes what it reported to the JSON file given as argv[1], for verify.py (a separate process) to check."""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
from clearml import OutputModel, Task

out_path, work = sys.argv[1], os.path.dirname(os.path.abspath(sys.argv[1]))
PROJECT, NAME = "SDK Live/nested project", "live training run"

task = Task.init(project_name=PROJECT, task_name=NAME, output_uri=True, reuse_last_task_id=False,
                 auto_connect_frameworks=False, auto_resource_monitoring=False)

# argparse is captured by Task.init (section "Args")
parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--optimizer", default="adam")
parser.add_argument("--dropout", type=float, default=0.25)
args = parser.parse_args([])

params = task.connect({"lr": 0.01, "epochs": 50, "use_amp": True, "layers": [64, 128], "name": "résumé ünïcode"})
config = {"model": {"arch": "resnet18", "pretrained": False}, "augment": ["flip", "crop"], "seed": 1234}
task.connect_configuration(config, name="train config")

logger = task.get_logger()
train = [round(1.0 / (i + 1), 6) for i in range(50)]
val = [round(1.5 - i * 0.01, 6) for i in range(50)]
for i in range(50):
    logger.report_scalar("loss", "train", value=train[i], iteration=i)
    logger.report_scalar("loss", "val", value=val[i], iteration=i)
logger.report_single_value("best_acc", 0.93)
logger.report_plotly(title="confusion", series="val", iteration=49,
                     figure={"data": [{"type": "heatmap", "z": [[5, 1], [2, 7]]}], "layout": {"title": "confusion"}})
image = (np.arange(16 * 16 * 3) % 251).astype("uint8").reshape(16, 16, 3)
logger.report_image("samples", "batch0", iteration=3, image=image)
print("LIVE-CONSOLE-MARKER stdout line")
logger.report_text("LIVE-REPORT-TEXT marker")

stats = {"mean": 0.5, "std": 0.125, "classes": ["cat", "dog"]}
task.upload_artifact("stats", artifact_object=stats, wait_on_upload=True)
blob_path = os.path.join(work, "blob.bin")
with open(blob_path, "wb") as f:
    f.write(os.urandom(200_000) + bytes(range(256)))
task.upload_artifact("blob", artifact_object=blob_path, wait_on_upload=True)

weights_path = os.path.join(work, "weights.bin")
with open(weights_path, "wb") as f:
    f.write(os.urandom(300_000))
model = OutputModel(task=task, name="live weights", framework="PyTorch", tags=["live-model"],
                    config_dict={"arch": "resnet18"})
model.update_weights(weights_filename=weights_path, auto_delete_file=False)

task.set_tags(["live", "sdk-test"])
task.flush(wait_for_uploads=True)
task_id, model_id = task.id, model.id
task.close()

def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()

with open(out_path, "w") as f:
    json.dump({"task_id": task_id, "model_id": model_id, "project": PROJECT, "name": NAME,
               "train": train, "val": val, "params": params, "args": vars(args), "config": config,
               "stats": stats, "blob_path": blob_path, "weights_path": weights_path,
               "blob_sha256": sha256(blob_path), "weights_sha256": sha256(weights_path)}, f, indent=1)
print("train.py done: task", task_id, "model", model_id)
