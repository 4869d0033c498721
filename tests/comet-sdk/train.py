"""Live Comet SDK test, part 1: a training run logged with the unmodified comet_ml. argv[1] = where to write what a
later process should find (JSON)."""
import json
import os
import sys

import comet_ml

experiment = comet_ml.Experiment(project_name="sdk-live")
experiment.set_name("live-run")
experiment.log_parameters({"lr": 0.01, "batch_size": 32, "optimizer": "adam"})
experiment.log_parameter("layers", 4)
experiment.add_tags(["baseline", "sdk"])
experiment.log_other("dataset", "mnist")
for epoch in range(2):
    for step in range(epoch * 5, epoch * 5 + 5):
        experiment.log_metric("loss", 1.0 / (step + 1), step=step, epoch=epoch)
        experiment.log_metric("accuracy", step / 10.0, step=step, epoch=epoch)
    experiment.log_metrics({"val_loss": 0.5 / (epoch + 1)}, epoch=epoch, step=epoch * 5 + 4)
with experiment.validate():
    experiment.log_metric("score", 0.75, step=9)
print("training finished")
experiment.log_text("a text sample", step=9)
experiment.log_html("<b>report</b>")
with open("notes.txt", "w") as f:
    f.write("notes about the run\n")
experiment.log_asset("notes.txt", file_name="notes.txt", metadata={"kind": "notes"})
experiment.log_remote_asset("s3://bucket/data/train.csv", remote_file_name="train.csv")
with open("image.png", "wb") as f:  # a 1x1 PNG
    f.write(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000105" "7f2f8a0000000049454e44ae426082"))
with open("weights.bin", "wb") as f:
    f.write(bytes(range(256)) * 4)
experiment.log_model("demo-model", "weights.bin")
experiment.log_code(code="print('hello')", code_name="snippet.py")
experiment.log_image("image.png", name="sample.png", step=9)
experiment.log_points_3d("scene", points=[[0, 0, 0], [1, 1, 1], [2, 0, 1]], boxes=[
    {"segments": [[[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 0]]], "name": "box", "label": "cube"}], step=9)
key = experiment.get_key()
workspace = experiment.workspace
experiment.end()
json.dump({"key": key, "workspace": workspace, "project": "sdk-live", "weights": list(bytes(range(256)) * 4)},
          open(sys.argv[1], "w"))
