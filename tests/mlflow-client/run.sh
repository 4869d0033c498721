#!/usr/bin/env bash
# On-demand live test: MLflow's own Python client (mlflow 2.12.2, unmodified) against this server (not part of
# `dotnet test`). Builds and starts the server on a free port with a fresh data dir, then runs, each in a fresh process:
#   train.py     (a) a fluent training run: set_experiment, start_run, params, metrics over steps, tags, log_artifact(s),
#                log_dict, log_text, end_run; a failed run and a deleted run beside it (Basic user:password)
#   verify.py    (b) MlflowClient reads it back: searches with filters, order_by and pages, get_run, the metric history,
#                artifact listings and byte-equal downloads, MLflow's errors (Bearer token: the API key)
#   registry.py  (c) the model registry: register_model, versions, stages, aliases, tags, searches, deletes
# Each check prints ok or FAIL; the last line counts them. With --record DIR, every call goes through
# tests/comet-sdk/record_proxy.py and lands in DIR/mlflow-<scenario>.jsonl (the recordings MlflowClientReplayTests replays).
#
# Getting the client (no PyPI needed): fetch github:williamjamir/mlflow (the mounted `fetch` tool), then
#   PP=$(bash ../shared/tools/mlflow-client-env.sh <that git dir> | tail -1)     # installs Debian deps, prints PYTHONPATH
#
# Usage: tests/mlflow-client/run.sh [--client PYTHONPATH] [--postgres] [--record DIR] [--keep]
# Env: MLFLOW_CLIENT_PYTHONPATH (instead of --client), PYTHON (default /usr/bin/python3). Exit 0 = every check passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENT=${MLFLOW_CLIENT_PYTHONPATH:-}
POSTGRES=0 KEEP=0 RECORD=""
while [ $# -gt 0 ]; do
  case "$1" in
    --client) CLIENT=$2; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --record) RECORD=$(realpath "$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
[ -n "$CLIENT" ] || { echo "FAIL: no client: pass --client PYTHONPATH or set MLFLOW_CLIENT_PYTHONPATH (see the header of $0)"; exit 2; }
NAME="MLflow client live test"
. tests/live-server.sh
live_start mlflow-client-live
USER_NAME=admin PASSWORD=mlflow-live-password-0001 KEY=mlflow-live-test-api-key-000000001
live_server --MlOps:Bootstrap:AdminUser=$USER_NAME --MlOps:Bootstrap:AdminPassword=$PASSWORD --MlOps:Bootstrap:ApiKey=$KEY \
  --MlOps:Bootstrap:AccessKey=MLFLOWLIVEACCESS0001 --MlOps:Bootstrap:SecretKey=mlflow-live-test-secret-key-0000001

CLIENT_BASE=$BASE
recording() { :; }
if [ -n "$RECORD" ]; then
  mkdir -p "$RECORD"
  PROXY_PORT=$(free_port)
  "$PYTHON" tests/comet-sdk/record_proxy.py "$PROXY_PORT" "$BASE" "$WORK/current.jsonl" &
  PROXY=$!
  CLIENT_BASE=http://127.0.0.1:$PROXY_PORT
  sleep 1
  recording() { [ -f "$WORK/current.jsonl" ] && mv "$WORK/current.jsonl" "$RECORD/mlflow-$1.jsonl" || true; }
fi

export MLFLOW_TRACKING_URI=$CLIENT_BASE PYTHONPATH=$CLIENT:$PWD/tests/mlflow-client PYTHONUNBUFFERED=1 HOME=$WORK \
  CHECKS_FILE=$WORK/checks.txt GIT_PYTHON_REFRESH=quiet PYTHONWARNINGS=ignore::FutureWarning MLFLOW_HTTP_REQUEST_MAX_RETRIES=0
: >"$CHECKS_FILE"
mkdir -p "$WORK/run"
for script in ${SCRIPTS:-train verify registry}; do
  STEP="$script.py"
  echo "--- $script.py ---"
  if [ "$script" = verify ]; then
    auth=(env -u MLFLOW_TRACKING_USERNAME -u MLFLOW_TRACKING_PASSWORD MLFLOW_TRACKING_TOKEN=$KEY)
  else
    auth=(env MLFLOW_TRACKING_USERNAME=$USER_NAME MLFLOW_TRACKING_PASSWORD=$PASSWORD)
  fi
  (cd "$WORK/run" && "${auth[@]}" "$PYTHON" "$OLDPWD/tests/mlflow-client/$script.py" "$WORK/ids.json") 2>&1 | tee "$WORK/$script.log" || true
  recording "$script"
done
STEP="the checks"
passed=$(grep -c '^ok:' "$CHECKS_FILE" || true)
failed=$(grep -c '^FAIL:' "$CHECKS_FILE" || true)
echo "=== MLflow client checks: $passed passed, $failed failed ($DB) ==="
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
