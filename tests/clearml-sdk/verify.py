"""Live ClearML SDK test, part 2: a fresh process (a second SDK session, logging in with the same key pair)
reads back everything train.py reported and checks it. argv[1] = the JSON file train.py wrote."""
import hashlib
import json
import math
import os
import sys
import traceback

from clearml import Model, StorageManager, Task
from clearml.backend_api import Session

expected = json.load(open(sys.argv[1]))
failures = []


def check(name, fn):
    try:
        fn()
        print("  ok   " + name)
    except Exception as e:  # noqa
        failures.append(name)
        print("  FAIL " + name + ": " + (str(e) or type(e).__name__))
        if not isinstance(e, AssertionError):
            traceback.print_exc(limit=3)


def eq(actual, wanted, what):
    assert actual == wanted, "%s: expected %r, got %r" % (what, wanted, actual)


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


task = Task.get_task(task_id=expected["task_id"])
EX = expected


def lookup():
    found = Task.get_tasks(project_name=EX["project"], task_name=EX["name"])
    eq([t.id for t in found], [EX["task_id"]], "Task.get_tasks(project, name) ids")
    tagged = Task.get_tasks(project_name=EX["project"], tags=["sdk-test"])
    eq([t.id for t in tagged], [EX["task_id"]], "Task.get_tasks(tags=[sdk-test]) ids")
    eq(Task.get_tasks(project_name=EX["project"], tags=["no-such-tag"]), [], "Task.get_tasks(tags=[no-such-tag])")
    eq(Task.get_task(project_name=EX["project"], task_name=EX["name"]).id, EX["task_id"], "Task.get_task(project, name)")


def status_and_tags():
    eq(task.name, EX["name"], "name")
    eq(task.get_project_name(), EX["project"], "project name")
    eq(str(task.get_status()), "completed", "status")
    eq(sorted(task.get_tags()), ["live", "sdk-test"], "tags")
    eq(task.task_type, Task.TaskTypes.training, "type")


def parameters():
    p = task.get_parameters()
    for k, v in EX["params"].items():
        eq(p.get("General/" + k), str(v), "General/" + k)
    eq(p.get("Args/batch_size"), "32", "Args/batch_size")
    eq(p.get("Args/optimizer"), "adam", "Args/optimizer")
    eq(p.get("Args/dropout"), "0.25", "Args/dropout")
    cast = task.get_parameters_as_dict(cast=True)
    eq(cast["General"]["lr"], 0.01, "cast General/lr")
    eq(cast["General"]["epochs"], 50, "cast General/epochs")
    eq(cast["General"]["use_amp"], True, "cast General/use_amp")
    eq(cast["General"]["layers"], [64, 128], "cast General/layers")
    eq(cast["Args"]["batch_size"], 32, "cast Args/batch_size")


def configuration():
    eq(task.get_configuration_object_as_dict("train config"), EX["config"], "configuration 'train config'")


def last_scalars():
    last = task.get_last_scalar_metrics()
    for series in ("train", "val"):
        got, values = last["loss"][series], EX[series]
        for key, want in (("last", values[-1]), ("min", min(values)), ("max", max(values))):
            assert math.isclose(got[key], want, rel_tol=1e-6), "loss/%s %s: expected %r, got %r" % (series, key, want, got[key])
    eq(task.get_last_iteration(), 49, "last iteration")


def reported_scalars():
    rep = task.get_reported_scalars()
    for series in ("train", "val"):
        s = rep["loss"][series]
        eq(list(s["x"]), list(range(50)), "loss/%s x" % series)
        assert all(math.isclose(a, b, rel_tol=1e-6) for a, b in zip(s["y"], EX[series])) and len(s["y"]) == 50, \
            "loss/%s y: expected %r, got %r" % (series, EX[series], s["y"])
    all_events = task.get_all_reported_scalars()
    eq(sorted(all_events["loss"].keys()), ["train", "val"], "get_all_reported_scalars series")
    eq(len(all_events["loss"]["train"]["y"]), 50, "get_all_reported_scalars loss/train points")


def single_value():
    v = task.get_reported_single_value("best_acc")
    assert v is not None and math.isclose(v, 0.93), "best_acc: expected 0.93, got %r" % (v,)


def console():
    lines = "\n".join(task.get_reported_console_output(number_of_reports=1000))
    assert "LIVE-CONSOLE-MARKER stdout line" in lines, "stdout marker missing from console log: %r" % lines[-2000:]
    assert "LIVE-REPORT-TEXT marker" in lines, "report_text marker missing from console log"


def plots():
    found = [p for p in task.get_reported_plots() if p.get("metric") == "confusion" and p.get("variant") == "val"]
    assert found, "no confusion/val plot"
    fig = json.loads(found[-1]["plot_str"])
    eq(fig["data"][0]["z"], [[5, 1], [2, 7]], "plot z")
    eq(found[-1].get("iter"), 49, "plot iter")


def debug_image():
    samples = task.get_debug_samples("samples", "batch0")
    assert samples, "no debug samples for samples/batch0"
    url = samples[0]["url"]
    eq(samples[0]["iter"], 3, "debug image iter")
    local = StorageManager.get_local_copy(url)
    assert local and os.path.getsize(local) > 0, "debug image %s not downloaded" % url
    from PIL import Image
    eq(Image.open(local).size, (16, 16), "debug image size")


def artifacts():
    arts = task.artifacts
    eq(sorted(arts.keys()), ["blob", "stats"], "artifact names")
    eq(arts["stats"].get(force_download=True), EX["stats"], "dict artifact content")
    stats_local = arts["stats"].get_local_copy(force_download=True)
    eq(sha256_file(stats_local), arts["stats"].hash, "dict artifact bytes vs the sha256 the SDK registered")
    eq(arts["stats"].type, "dict", "dict artifact type")
    blob_local = arts["blob"].get_local_copy(force_download=True)
    with open(blob_local, "rb") as a, open(EX["blob_path"], "rb") as b:
        assert a.read() == b.read(), "file artifact differs from the uploaded file"
    eq(arts["blob"].hash, EX["blob_sha256"], "file artifact registered hash")
    eq(arts["blob"].size, os.path.getsize(EX["blob_path"]), "file artifact size")


def model():
    out = task.models["output"]
    assert out, "task has no output models"
    eq(out[-1].id, EX["model_id"], "task output model id")
    m = Model(model_id=EX["model_id"])
    eq(m.name, "live weights", "model name")
    eq(m.framework, "PyTorch", "model framework")
    assert "live-model" in m.tags, "model tags: %r" % (m.tags,)
    eq(m.task, EX["task_id"], "model task")
    assert m.url.startswith(os.environ["CLEARML_FILES_HOST"]), "model url %r not on the files host" % m.url
    eq(m.config_dict, {"arch": "resnet18"}, "model config_dict")
    local = m.get_local_copy(force_download=True)
    eq(sha256_file(local), EX["weights_sha256"], "downloaded weights sha256")
    listed = Model.query_models(project_name=EX["project"], tags=["live-model"])
    eq([x.id for x in listed], [EX["model_id"]], "Model.query_models ids")


def logins():
    key, secret = os.environ["CLEARML_API_ACCESS_KEY"], os.environ["CLEARML_API_SECRET_KEY"]
    s = Session(api_key=key, secret_key=secret, host=os.environ["CLEARML_API_HOST"])
    assert s.token, "second session got no token"
    try:
        Session(api_key=key, secret_key=secret + "-wrong", host=os.environ["CLEARML_API_HOST"])
    except Exception as e:  # LoginError
        assert "401" in str(e), "wrong secret rejected, but not with a 401: %s" % e
    else:
        raise AssertionError("a wrong secret key was accepted")


for name, fn in [("Task.get_tasks / get_task lookups", lookup), ("status, name, project, tags", status_and_tags),
                 ("hyper-parameters (dict + argparse)", parameters), ("configuration object", configuration),
                 ("get_last_scalar_metrics", last_scalars), ("get_reported_scalars (50 iterations x 2 series)", reported_scalars),
                 ("single value", single_value), ("console output", console), ("plot", plots),
                 ("debug image (download)", debug_image), ("artifacts (download, byte compare)", artifacts),
                 ("output model (download weights)", model), ("login with the key pair / wrong secret", logins)]:
    check(name, fn)

print("verify.py: %d check groups failed" % len(failures) if failures else "verify.py: all checks passed")
sys.exit(1 if failures else 0)
