"""The base experiment the optimizer clones: its score is a known function of its parameters."""
from clearml import Task

task = Task.init(project_name="capture/hpo", task_name="hpo base", auto_connect_frameworks=False,
                 auto_resource_monitoring=False)
params = task.connect({"lr": 0.1, "layers": 1, "note": "base"})
lr, layers = float(params["lr"]), int(params["layers"])
score = 1.0 - abs(lr - 0.01) * 2 + 0.05 * layers
for epoch in range(5):
    task.get_logger().report_scalar("validation", "accuracy", value=round(score * (epoch + 1) / 5, 6), iteration=epoch)
    task.get_logger().report_scalar("train", "loss", value=round(1 - score * (epoch + 1) / 5, 6), iteration=epoch)
print("trained with lr={} layers={} score={}".format(lr, layers, score))
