"""The experiment the agent runs (given to the task as its script; Task.init attaches to the task the agent pulled)."""
from clearml import Task

task = Task.init(project_name="agent live", task_name="agent job")
params = task.connect({"epochs": 3, "lr": 0.1, "fail": False})
print("agent job starting with epochs={} lr={}".format(params["epochs"], params["lr"]))
for epoch in range(int(params["epochs"])):
    task.get_logger().report_scalar("loss", "train", value=round(float(params["lr"]) / (epoch + 1), 6), iteration=epoch)
task.upload_artifact("result", {"epochs": int(params["epochs"]), "lr": float(params["lr"])})
if str(params["fail"]) == "True":
    raise RuntimeError("this job was asked to fail")
print("agent job done")
