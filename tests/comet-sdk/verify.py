"""Live Comet SDK test, part 2: a fresh process reads the run back with comet_ml.API. argv[1] = train.py's JSON."""
import io
import json
import sys
import traceback
import zipfile

import comet_ml

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


api = comet_ml.API()
experiment = api.get_experiment(expected["workspace"], expected["project"], expected["key"])


def listed():
    keys = [e.id for e in api.get_experiments(expected["workspace"], expected["project"])]
    assert expected["key"] in keys, keys


def name():
    eq(experiment.get_name(), "live-run", "get_name()")
    eq(api.get_experiment_by_key(expected["key"]).name, "live-run", ".name")


def parameters():
    values = {p["name"]: p["valueCurrent"] for p in experiment.get_parameters_summary()}
    for k, v in {"lr": "0.01", "batch_size": "32", "optimizer": "adam", "layers": "4"}.items():
        eq(values.get(k), v, "parameter " + k)


def others():
    values = {p["name"]: p["valueCurrent"] for p in experiment.get_others_summary()}
    eq(values.get("dataset"), "mnist", "other dataset")


def metrics():
    loss = experiment.get_metrics("loss")
    eq(sorted(m["step"] for m in loss), list(range(10)), "loss steps")
    eq({m["step"]: float(m["metricValue"]) for m in loss}[3], 0.25, "loss at step 3")
    eq(sorted({m["epoch"] for m in loss}), [0, 1], "loss epochs")
    summary = {m["name"]: m for m in experiment.get_metrics_summary()}
    assert "val_loss" in summary and "validate_score" in summary, sorted(summary)
    eq(float(summary["accuracy"]["valueMax"]), 0.9, "accuracy max")


def tags():
    assert {"baseline", "sdk"} <= set(experiment.get_tags()), experiment.get_tags()


def html_and_code():
    assert "<b>report</b>" in experiment.get_html(), experiment.get_html()


def assets():
    listing = {a["fileName"]: a for a in experiment.get_asset_list()}
    assert "notes.txt" in listing, sorted(listing)
    eq(experiment.get_asset(listing["notes.txt"]["assetId"], return_type="text"), "notes about the run\n", "notes.txt")
    eq(json.loads(listing["notes.txt"]["metadata"]), {"kind": "notes"}, "notes.txt metadata")
    assert listing["train.csv"]["remote"] and listing["train.csv"]["link"] == "s3://bucket/data/train.csv", listing["train.csv"]


def model():
    assert "demo-model" in experiment.get_model_names(), experiment.get_model_names()
    files = experiment.get_model_asset_list("demo-model")
    weights = [a for a in files if a["fileName"] == "weights.bin"]
    assert weights, files
    eq(list(experiment.get_asset(weights[0]["assetId"], return_type="binary")), expected["weights"], "weights bytes")


def git_patch():
    patch = zipfile.ZipFile(io.BytesIO(experiment.get_git_patch())).read("git_diff.patch").decode()
    assert "+print('v2')" in patch, patch


def console_and_system():
    assert "training finished" in (experiment.get_output() or ""), experiment.get_output()
    details = experiment.get_system_details()
    assert details.get("pythonVersion"), details


def ended():
    metadata = experiment.get_metadata()
    eq(metadata["running"], False, "running")
    eq(metadata["experimentName"], "live-run", "experimentName")


for name_, fn in [("listed in its project", listed), ("name", name), ("parameters", parameters), ("others", others),
                  ("metrics", metrics), ("tags", tags), ("html", html_and_code), ("assets", assets), ("model", model),
                  ("git patch", git_patch), ("console and system details", console_and_system), ("ended", ended)]:
    check(name_, fn)
if failures:
    print("FAILED: " + ", ".join(failures))
    sys.exit(1)
print("all checks passed")
