#!/usr/bin/env bash
# On-demand browser test of MLflow's own UI served by this server at /mlflow/ (not part of `dotnet test`; see README,
# "MLflow's UI"). Starts the server with MlOps:MlflowUi:Path, seeds a training run, a failed run and a registered model
# with MLflow's Python client (tests/mlflow-client/train.py, tests/mlflow-ui/seed.py), then walks the UI in Chromium
# signed in through the browser's Basic prompt (tests/mlflow-ui/walk.mjs).
# Needs: MLFLOW_UI=<built by tests/mlflow-ui/build.sh>; the client: --client PYTHONPATH or MLFLOW_CLIENT_PYTHONPATH
# (PP=$(bash ../shared/tools/mlflow-client-env.sh <mirror git dir> | tail -1)); Debian's chromium; puppeteer-core
# (PUPPETEER_DIR=<its node_modules>, default /tmp/pptr/node_modules).
# Usage: tests/mlflow-ui/run.sh [--client PYTHONPATH] [--postgres] [--keep]      SHOTS=<dir> keeps the screenshots there
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENT=${MLFLOW_CLIENT_PYTHONPATH:-}
POSTGRES=0 KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --client) CLIENT=$2; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
: "${MLFLOW_UI:?set MLFLOW_UI to a UI built by tests/mlflow-ui/build.sh}"
[ -n "$CLIENT" ] || { echo "FAIL: no client: pass --client PYTHONPATH or set MLFLOW_CLIENT_PYTHONPATH"; exit 2; }
export PUPPETEER_DIR=${PUPPETEER_DIR:-/tmp/pptr/node_modules}
NAME="MLflow UI browser test"
. tests/live-server.sh
live_start mlflow-ui-live
USER_NAME=admin PASSWORD=mlflow-ui-password-0001
live_server --MlOps:Bootstrap:AdminUser=$USER_NAME --MlOps:Bootstrap:AdminPassword=$PASSWORD --MlOps:MlflowUi:Path="$(realpath "$MLFLOW_UI")"

STEP="seed with MLflow's client"
export MLFLOW_TRACKING_URI=$BASE MLFLOW_TRACKING_USERNAME=$USER_NAME MLFLOW_TRACKING_PASSWORD=$PASSWORD \
  PYTHONPATH=$CLIENT:$PWD/tests/mlflow-client PYTHONUNBUFFERED=1 HOME=$WORK CHECKS_FILE=$WORK/checks.txt \
  GIT_PYTHON_REFRESH=quiet PYTHONWARNINGS=ignore::FutureWarning
mkdir -p "$WORK/run"
(cd "$WORK/run" && "$PYTHON" "$OLDPWD/tests/mlflow-client/train.py" "$WORK/ids.json" >"$WORK/train.log" 2>&1)
(cd "$WORK/run" && "$PYTHON" "$OLDPWD/tests/mlflow-ui/seed.py" "$WORK/ids.json")

STEP="walk the UI"
SHOTS=${SHOTS:-$WORK/screenshots}
mkdir -p "$SHOTS"
node tests/mlflow-ui/walk.mjs "$BASE" "$USER_NAME" "$PASSWORD" "$WORK/ids.json" "$SHOTS"
echo "screenshots in $SHOTS"
