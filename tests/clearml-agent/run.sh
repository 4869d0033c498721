#!/usr/bin/env bash
# On-demand live test: the UNMODIFIED clearml-agent (1.9.x) and ClearML SDK against this server (not part of
# `dotnet test`). Builds and starts the server on a free port with a fresh data dir (SQLite, or a throwaway PostgreSQL
# with --postgres), then:
#   agent.py enqueue   creates two tasks from job.py with parameters overridden and enqueues them on "agent-live"
#   the agent          `clearml_agent daemon --queue agent-live --foreground --cpu-only` pulls both, runs each as a
#                      subprocess (no virtualenv: Debian's python3 with the SDK on PYTHONPATH) and reports them, while
#   agent.py wait      polls (straight to the server, not recorded) until both have finished; the agent is then stopped
#   agent.py verify    a fresh SDK process checks statuses, parameters, scalars, console, artifact and worker
#
# Getting the clients (no PyPI): fetch github:allegroai/clearml-agent and github:allegroai/clearml, then
#   PP=$(bash ../shared/tools/clearml-agent-env.sh <agent git dir> <sdk git dir> | tail -1)   # agent + SDK PYTHONPATH
#
# Usage: tests/clearml-agent/run.sh [--agent PYTHONPATH] [--postgres] [--record DIR] [--keep]
#   --agent PP    the agent's and SDK's PYTHONPATH (or set CLEARML_AGENT_PYTHONPATH)
#   --postgres    run the server on a throwaway PostgreSQL cluster instead of SQLite
#   --record DIR  put tests/clearml-sdk/record_proxy.py between the clients and the server; the calls of each step go
#                 to DIR/agent-enqueue.jsonl, DIR/agent-daemon.jsonl (the agent and the jobs it ran), DIR/agent-read.jsonl
#                 (how ClearMl/Fixtures/agent-*.jsonl are made)
#   --keep        keep the temp dir (server and agent logs, data) for inspection
# Env: PYTHON (default /usr/bin/python3), PORT (default: a free port). Exit 0 = PASS, non-zero = FAIL.
set -euo pipefail
cd "$(dirname "$0")/../.."
AGENT=${CLEARML_AGENT_PYTHONPATH:-}
POSTGRES=0 KEEP=0 RECORD=""
while [ $# -gt 0 ]; do
  case "$1" in
    --agent) AGENT=$2; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --record) mkdir -p "$2"; RECORD=$(realpath "$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,24p' "$0"; exit 2 ;;
  esac
done
[ -n "$AGENT" ] || { echo "FAIL: no agent: pass --agent PYTHONPATH or set CLEARML_AGENT_PYTHONPATH (see the header of $0)"; exit 2; }
NAME="clearml-agent live test"
. tests/live-server.sh
live_start clearml-agent-live
KEY=AGENTLIVETESTACCESS1 SECRET=agent-live-test-secret-key-00000001
live_server --MlOps:Bootstrap:AccessKey=$KEY --MlOps:Bootstrap:SecretKey=$SECRET
AGENT_PID=""
stop_agent() {
  if [ -n "$AGENT_PID" ]; then kill -INT "$AGENT_PID" 2>/dev/null || true; wait "$AGENT_PID" 2>/dev/null || true; fi
  AGENT_PID=""
}
trap 'rc=$?; stop_agent; (exit $rc); live_cleanup' EXIT

CLIENT_BASE=$BASE
if [ -n "$RECORD" ]; then
  PROXY_PORT=$(free_port)
  "$PYTHON" tests/clearml-sdk/record_proxy.py "$PROXY_PORT" "$BASE" "$WORK/current.jsonl" &
  PROXY=$!
  CLIENT_BASE=http://127.0.0.1:$PROXY_PORT
  for _ in $(seq 20); do curl -s -o /dev/null "$CLIENT_BASE/health/ready" && break; sleep 0.5; done
  rm -f "$WORK/current.jsonl"
fi
recorded() { if [ -n "$RECORD" ] && [ -f "$WORK/current.jsonl" ]; then mv "$WORK/current.jsonl" "$RECORD/agent-$1.jsonl"; fi; }

mkdir -p "$WORK/home" "$WORK/scripts"
cp tests/clearml-agent/*.py "$WORK/scripts/"   # outside any git repository: the tasks carry their script as code
cat >"$WORK/clearml.conf" <<EOF
api {
  api_server: $CLIENT_BASE
  web_server: $CLIENT_BASE
  files_server: $CLIENT_BASE/files
  credentials { access_key: "$KEY", secret_key: "$SECRET" }
}
agent {
  package_manager.system_site_packages: true
  python_binary: /usr/bin/python3
  worker_name: agent-live
}
EOF
export HOME=$WORK/home CLEARML_CONFIG_FILE=$WORK/clearml.conf PYTHONPATH=$AGENT PYTHONUNBUFFERED=1 \
  CLEARML_API_HOST=$CLIENT_BASE CLEARML_WEB_HOST=$CLIENT_BASE CLEARML_FILES_HOST=$CLIENT_BASE/files \
  CLEARML_API_ACCESS_KEY=$KEY CLEARML_API_SECRET_KEY=$SECRET
ERRORS='Action failed|Failed uploading|Failed getting|Traceback|Exception|retrying'

STEP="agent.py enqueue"
(cd "$WORK" && "$PYTHON" scripts/agent.py enqueue "$WORK") 2>&1 | tee "$WORK/enqueue.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
! grep -E "$ERRORS" "$WORK/enqueue.log" || exit 1
recorded enqueue

STEP="the agent runs the queued tasks"
echo "--- clearml_agent daemon --queue agent-live ---"
(cd "$WORK" && CLEARML_AGENT_SKIP_PYTHON_ENV_INSTALL=1 CLEARML_AGENT_SKIP_PIP_VENV_INSTALL=/usr/bin/python3 PATH=/usr/bin:$PATH \
  exec "$PYTHON" -m clearml_agent --config-file "$WORK/clearml.conf" daemon --queue agent-live --foreground --cpu-only) \
  >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
(cd "$WORK" && CLEARML_API_HOST=$BASE CLEARML_WEB_HOST=$BASE CLEARML_FILES_HOST=$BASE/files "$PYTHON" scripts/agent.py wait "$WORK") \
  || { tail -40 "$WORK/agent.log"; exit 1; }
stop_agent
grep -E "Running task|task id|Process failed|Traceback" "$WORK/agent.log" | head -20 || true
recorded daemon

STEP="agent.py verify (a fresh SDK process reads back)"
(cd "$WORK" && "$PYTHON" scripts/agent.py verify "$WORK") 2>&1 | tee "$WORK/verify.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
! grep -E "Action failed|Failed getting" "$WORK/verify.log" || exit 1
recorded read
STEP=done
