"""The live agent test's client side, with the unmodified SDK. Usage: agent.py enqueue|wait|verify WORK
  enqueue  creates two tasks from job.py (Task.create, the script as its code), overrides their parameters (one with
           epochs=5, lr=0.2; one asked to fail) and enqueues both on the queue "agent-live" (created here)
  wait     polls until both have finished (completed or failed; 300 s at most)
  verify   checks what the agent ran and reported: statuses, the parameters it ran with, scalars, console output (the
           agent's own lines and the job's), the artifact, the worker that ran them. Exit 0 = PASS."""
import json
import os
import sys
import time

from clearml import Task

phase, work = sys.argv[1], sys.argv[2]
state = os.path.join(work, "agent.json")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


if phase == "enqueue":
    from clearml.backend_api.session.client import APIClient
    APIClient().queues.create(name="agent-live")
    ids = {}
    for name, overrides in (("agent job", {"General/epochs": 5, "General/lr": 0.2}), ("failing job", {"General/fail": True})):
        task = Task.create(project_name="agent live", task_name=name, script=os.path.join(os.path.dirname(__file__), "job.py"),
                           add_task_init_call=False, packages=[])
        task.set_parameters({"General/epochs": 3, "General/lr": 0.1, "General/fail": False, **overrides})
        Task.enqueue(task, queue_name="agent-live")
        ids[name] = task.id
    json.dump(ids, open(state, "w"))
    print("enqueued", ids)
elif phase == "wait":
    ids = json.load(open(state))
    deadline = time.time() + 300
    while time.time() < deadline:
        statuses = {name: Task.get_task(task_id=task_id).get_status() for name, task_id in ids.items()}
        if all(s in ("completed", "failed", "stopped") for s in statuses.values()):
            print("finished:", statuses)
            break
        time.sleep(3)
    else:
        sys.exit("FAILED: the agent did not finish the tasks in 300 s: {}".format(statuses))
else:
    ids = json.load(open(state))
    job = Task.get_task(task_id=ids["agent job"])
    check(job.get_status() == "completed", "agent job completed: " + job.get_status())
    params = job.get_parameters()
    check(params.get("General/epochs") == "5" and params.get("General/lr") == "0.2", "ran with the overridden parameters " + str(params))
    loss = job.get_reported_scalars().get("loss", {}).get("train", {})
    check(loss.get("x") == [0, 1, 2, 3, 4], "5 epochs reported: " + str(loss.get("x")))
    check([round(y, 6) for y in loss.get("y", [])] == [round(0.2 / (e + 1), 6) for e in range(5)], "loss values")
    console = "\n".join(job.get_reported_console_output(1000))
    check("agent job starting with epochs=5 lr=0.2" in console and "agent job done" in console, "the job's console output")
    check("by worker agent-live:cpu:0" in console and "Process completed successfully" in console, "the agent's own console lines")
    check(job.artifacts["result"].get() == {"epochs": 5, "lr": 0.2}, "the artifact the job uploaded")
    check(bool(job.data.last_worker), "the worker that ran it: " + str(job.data.last_worker))
    check(job.data.execution.queue is not None, "it went through the queue")
    failing = Task.get_task(task_id=ids["failing job"])
    check(failing.get_status() == "failed", "failing job failed: " + failing.get_status())
    check("this job was asked to fail" in "\n".join(failing.get_reported_console_output(1000)), "the failure's traceback in its console")
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("agent: all checks passed")
