"""events.add_batch throughput as the ClearML SDK sends it: JSON lines, 10,000 scalar events per request, GET.

Usage: python3 bench/clearml_add_batch.py URL CLIENTS REQUESTS_PER_CLIENT  (credentials in MLOPS_KEY / MLOPS_SECRET)
Needs only Debian's python3-requests. Bodies are built before timing; the rate is points / slowest client's send time.
"""
import json, os, time, sys, requests, concurrent.futures as cf
host = sys.argv[1]; clients = int(sys.argv[2]); requests_per_client = int(sys.argv[3]); per_request = 10000
s = requests.Session(); tok = s.get(host + "/auth.login", auth=(os.environ["MLOPS_KEY"], os.environ["MLOPS_SECRET"])).json()["data"]["token"]
h = {"Authorization": "Bearer " + tok, "Content-Type": "application/json"}
pid = s.post(host + "/projects.create", json={"name": "bench-%d" % time.time_ns()}, headers=h).json()["data"]["id"]
def run(c):
    sess = requests.Session()
    task = sess.post(host + "/tasks.create", json={"name": "bench", "type": "training", "project": pid}, headers=h).json()["data"]["id"]
    sess.post(host + "/tasks.started", json={"task": task}, headers=h)
    bodies = []
    for r in range(requests_per_client):
        lines = "\n".join(json.dumps({"type": "training_stats_scalar", "task": task, "iter": r * per_request + i, "metric": "loss", "variant": "v%d" % (i % 4), "value": i * 0.001, "timestamp": 1790000000000 + i}) for i in range(per_request))
        bodies.append(lines.encode())
    start = time.perf_counter()
    for b in bodies:
        resp = sess.get(host + "/v2.23/events.add_batch", data=b, headers={**h, "Content-Type": "application/json-lines"})
        assert resp.status_code == 200 and resp.json()["data"]["added"] == per_request, resp.text[:300]
    return time.perf_counter() - start
start = time.perf_counter()
with cf.ThreadPoolExecutor(clients) as ex: times = list(ex.map(run, range(clients)))
elapsed = time.perf_counter() - start
total = clients * requests_per_client * per_request
print(f"clients={clients} points={total} send-time={max(times):.2f}s rate={total/max(times):,.0f} points/s")
