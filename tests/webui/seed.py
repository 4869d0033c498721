"""Writes what the browser test shows, with the unmodified ClearML SDK: two experiments the way a training script
does, a pipeline run locally, a dataset, and an agent's machine statistics and queue samples. pipeline.py adds a pipeline."""
import os
import sys
import tempfile
import time
import numpy as np
from clearml import Dataset, OutputModel, Task
from clearml.backend_api.session.client import APIClient

client = APIClient()
queue = client.queues.create(name="default")
machine = {"cpu_usage": [35.0, 60.0], "memory_used": 2048, "memory_free": 6144, "gpu_usage": [80.0],
           "gpu_memory_used": [3000], "gpu_memory_free": [5000], "network_rx": 3, "network_tx": 1}


def report_worker():
    client.workers.status_report(worker="ui-agent:gpu0", timestamp=int(time.time() * 1000), machine_stats=machine)


client.workers.register(worker="ui-agent:gpu0", queues=[queue.id])
report_worker()
first_reading = time.time()

for name, lr in (("train resnet", 0.01), ("train resnet v2", 0.1)):
    task = Task.init(project_name="UI Demo", task_name=name, auto_connect_frameworks=False,
                     auto_resource_monitoring=False, reuse_last_task_id=False,
                     output_uri=True)
    task.connect({"lr": lr, "epochs": 5}, name="Args")
    task.connect_configuration({"optimizer": "adam", "layers": [64, 32]}, name="model config")
    logger = task.get_logger()
    for i in range(20):
        logger.report_scalar("loss", "train", value=1.0 / (i + 1), iteration=i)
        logger.report_scalar("loss", "val", value=1.2 / (i + 1), iteration=i)
        logger.report_scalar("accuracy", "val", value=i / 20.0, iteration=i)
    logger.report_single_value("best_acc", 0.95)
    logger.report_plotly(title="confusion", series="val", iteration=0,
                         figure={"data": [{"type": "heatmap", "z": [[5, 1], [2, 7]]}], "layout": {"title": "confusion"}})
    logger.report_image("samples", "batch0", iteration=0, image=(np.random.rand(32, 32, 3) * 255).astype("uint8"))
    logger.report_text("hello from the training script")
    task.upload_artifact("stats", artifact_object={"mean": 0.5, "std": 0.1})
    with open("/tmp/mlops-webui-weights.bin", "wb") as weights:
        weights.write(b"\0" * 1024)
    OutputModel(task=task, framework="PyTorch", name="resnet weights").update_weights(weights_filename="/tmp/mlops-webui-weights.bin")
    task.close()
    print(task.id, file=sys.stderr)


files = tempfile.mkdtemp()
with open(os.path.join(files, "labels.csv"), "w") as labels:
    labels.write("id,label\n1,cat\n2,dog\n")
dataset = Dataset.create(dataset_name="ui pets", dataset_project="UI Datasets", dataset_version="1.0.0")
dataset.add_files(files)
dataset.upload()
dataset.finalize()

waiting = Task.create(project_name="UI Demo", task_name="waiting job")
client.tasks.enqueue(task=waiting.id, queue=queue.id)
time.sleep(max(0.0, first_reading + 45 - time.time()))
report_worker()  # a second reading, in a later interval of the charts (40 s at least)
