"""HyperParameterOptimizer with local execution, with the unmodified SDK. `hpo.py base WORK` runs the base experiment
(hpo_base.py: its accuracy is a known function of lr and layers); `hpo.py optimize WORK` runs the optimizer task: a grid
search over lr x layers, optimizer.start_locally() (each child a clone of the base run as a local subprocess), then
get_top_experiments; `hpo.py verify WORK`, in a fresh process, checks the four children (parent, parameters, status,
scalars), the top experiment, and the optimizer task's arguments, search space, scalars and summary table. Exit 0 = PASS."""
import json
import os
import subprocess
import sys

from clearml import Task

phase, work = sys.argv[1], sys.argv[2]
state = os.path.join(work, "hpo.json")
here = os.path.dirname(os.path.abspath(__file__))
GRID = [(lr, layers) for lr in (0.01, 0.1) for layers in (1, 3)]
failures = []


def score(lr, layers):
    return round(1.0 - abs(lr - 0.01) * 2 + 0.05 * layers, 6)


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


if phase == "base":
    subprocess.check_call([sys.executable, os.path.join(here, "hpo_base.py")], cwd=work)
    base = Task.get_task(project_name="capture/hpo", task_name="hpo base")
    json.dump({"base": base.id}, open(state, "w"))
elif phase == "optimize":
    from clearml.automation import DiscreteParameterRange, GridSearch, HyperParameterOptimizer
    base_id = json.load(open(state))["base"]
    task = Task.init(project_name="capture/hpo", task_name="optimizer", task_type=Task.TaskTypes.optimizer,
                     reuse_last_task_id=False, auto_connect_frameworks=False, auto_resource_monitoring=False)
    completed = []
    optimizer = HyperParameterOptimizer(
        base_task_id=base_id,
        hyper_parameters=[DiscreteParameterRange("General/lr", values=[0.01, 0.1]),
                          DiscreteParameterRange("General/layers", values=[1, 3])],
        objective_metric_title="validation", objective_metric_series="accuracy", objective_metric_sign="max",
        optimizer_class=GridSearch, max_number_of_concurrent_tasks=1, total_max_jobs=4, pool_period_min=0.02,
        spawn_project="capture/hpo/children", save_top_k_tasks_only=-1)
    optimizer.set_report_period(0.1)
    optimizer.start_locally(job_complete_callback=lambda job_id, value, it, params, top: completed.append((job_id, value)))
    optimizer.wait()
    top = optimizer.get_top_experiments(top_k=2)
    optimizer.stop()
    json.dump({"base": base_id, "optimizer": task.id, "top": [t.id for t in top], "completed": completed}, open(state, "w"))
    task.close()
    print("top:", [t.id for t in top], "completed:", completed)
else:
    saved = json.load(open(state))
    children = Task.get_tasks(project_name="capture/hpo/children", task_filter={"parent": saved["optimizer"]})
    check(len(children) == 4, "4 child tasks: " + str(len(children)))
    seen = {}
    for child in children:
        p = child.get_parameters()
        lr, layers = float(p["General/lr"]), int(p["General/layers"])
        seen[(lr, layers)] = child
        check(child.get_status() == "completed", "child {} completed: {}".format(child.id, child.get_status()))
        acc = child.get_reported_scalars()["validation"]["accuracy"]
        check(acc["x"] == [0, 1, 2, 3, 4], "child x")
        check(abs(acc["y"][-1] - score(lr, layers)) < 1e-6, "child {} final accuracy {} == {}".format(child.id, acc["y"][-1], score(lr, layers)))
        check(p["General/note"] == "base", "child keeps the base's other parameters")
    check(sorted(seen) == sorted(GRID), "the grid was covered: " + str(sorted(seen)))
    best = seen[(0.01, 3)]
    check(saved["top"][0] == best.id, "top experiment is lr=0.01 layers=3")
    check(len(saved["completed"]) == 4, "job_complete_callback called 4 times")
    opt = Task.get_task(task_id=saved["optimizer"])
    opt_type = str(getattr(opt.data.type, "value", opt.data.type))
    check(opt_type == "optimizer", "optimizer task type " + opt_type)
    plots = opt.get_reported_plots()
    titles = sorted({(pl["metric"], pl["variant"]) for pl in plots})
    check(any(m == "summary" for m, _ in titles), "summary table plot: " + str(titles))
    summary = [pl for pl in plots if pl["metric"] == "summary"][-1]
    check(all(c.id in summary["plot_str"] for c in children), "summary table lists every child")
    scalars = opt.get_reported_scalars()
    check(any("validation" in k or "optimization" in k.lower() for k in scalars), "optimizer scalars: " + str(list(scalars)))
    conf = opt.get_configuration_objects()
    check(any("lr" in v for v in conf.values()), "optimizer stores its search space: " + str(list(conf)))
    check(opt.get_parameters().get("General/opt/base_task_id") == saved["base"], "optimizer args: General/opt/base_task_id")
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("hpo: all checks passed")
