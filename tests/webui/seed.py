"""Writes two experiments the way a training script does, with the unmodified ClearML SDK (for the browser test)."""
import sys
import numpy as np
from clearml import Task, OutputModel
from clearml.backend_api.session.client import APIClient

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

APIClient().queues.create(name="default")
