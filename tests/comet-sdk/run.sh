#!/usr/bin/env bash
# On-demand live test: the UNMODIFIED Comet Python SDK (comet_ml 3.54) against this server, end to end (not part of
# `dotnet test`). Builds and starts the server on a free port with a fresh data dir, then runs, each in a fresh process:
#   train.py     comet_ml.Experiment logs a training run (parameters, metrics over steps and epochs, others, tags, text,
#                html, assets, a model, code, a git patch of the dirty working tree, console output, system details, end)
#   verify.py    comet_ml.API reads all of it back and checks it
#   resume.py    comet_ml.ExistingExperiment continues the run, then API checks what it added
#   offline.py   an OfflineExperiment's archive, uploaded with the SDK's own uploader, read back
#   clearml_reads.py (only with --clearml-sdk PYTHONPATH) the ClearML SDK reads the same run as a task
# With --record DIR, every call goes through tests/comet-sdk/record_proxy.py and lands in DIR/*.jsonl (the recordings
# CometSdkReplayTests replays).
#
# Getting the SDK (no PyPI needed): fetch github:rmegasari/rsquareNextJS (the mounted `fetch` tool), then
#   PP=$(bash ../shared/tools/comet-sdk-env.sh <that git dir> | tail -1)     # installs Debian deps, prints PYTHONPATH
#
# Usage: tests/comet-sdk/run.sh [--sdk PYTHONPATH] [--clearml-sdk PYTHONPATH] [--postgres] [--record DIR] [--keep]
# Env: PYTHON (default /usr/bin/python3). Exit 0 = PASS, non-zero = FAIL.
set -euo pipefail
cd "$(dirname "$0")/../.."
SDK=${COMET_SDK_PYTHONPATH:-}
POSTGRES=0 KEEP=0 RECORD="" CLEARML_SDK=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sdk) SDK=$2; shift 2 ;;
    --clearml-sdk) CLEARML_SDK=$2; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --record) RECORD=$(realpath "$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
[ -n "$SDK" ] || { echo "FAIL: no SDK: pass --sdk PYTHONPATH or set COMET_SDK_PYTHONPATH (see the header of $0)"; exit 2; }
NAME="Comet SDK live test"
. tests/live-server.sh
live_start comet-sdk-live
KEY=comet-live-test-api-key-000000001
live_server --MlOps:Bootstrap:ApiKey=$KEY --MlOps:Bootstrap:AccessKey=COMETLIVEACCESS00001 --MlOps:Bootstrap:SecretKey=comet-live-test-secret-key-00000001

SDK_BASE=$BASE
recording() { :; }
if [ -n "$RECORD" ]; then
  mkdir -p "$RECORD"
  PROXY_PORT=$(free_port)
  "$PYTHON" tests/comet-sdk/record_proxy.py "$PROXY_PORT" "$BASE" "$WORK/current.jsonl" &
  PROXY=$!
  SDK_BASE=http://127.0.0.1:$PROXY_PORT
  sleep 1
  # each script's calls go to their own recording
  recording() { [ -f "$WORK/current.jsonl" ] && mv "$WORK/current.jsonl" "$RECORD/$1.jsonl" || true; }
fi

# A dirty git working tree, so that the SDK uploads a git patch.
RUN=$WORK/run
mkdir -p "$RUN" && git -C "$RUN" init -q && git -C "$RUN" config user.email t@example.com && git -C "$RUN" config user.name t
echo "print('v1')" >"$RUN/model.py" && git -C "$RUN" add model.py && git -C "$RUN" commit -qm init && echo "print('v2')" >>"$RUN/model.py"

export COMET_URL_OVERRIDE=$SDK_BASE/clientlib/ COMET_API_KEY=$KEY \
  COMET_CONFIG=$WORK/.comet.config PYTHONPATH=$SDK PYTHONUNBUFFERED=1 HOME=$WORK
: >"$WORK/.comet.config"; : >"$WORK/clearml.conf"
# The SDK logs failed calls and then carries on: treat any as a failure.
SDK_ERRORS='COMET ERROR|COMET WARNING|Traceback|Failed to'

for script in ${SCRIPTS:-train verify resume offline}; do
  STEP="$script.py"
  echo "--- $script.py ---"
  (cd "$RUN" && "$PYTHON" "$OLDPWD/tests/comet-sdk/$script.py" "$WORK/expected.json") 2>&1 | tee "$WORK/$script.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
  if grep -E "$SDK_ERRORS" "$WORK/$script.log" >/dev/null; then
    echo "$script.py: the SDK reported errors:"; grep -E "$SDK_ERRORS" "$WORK/$script.log"; exit 1
  fi
  recording "$script"
done
if [ -n "$CLEARML_SDK" ]; then
  STEP="clearml_reads.py"
  echo "--- clearml_reads.py ---"
  (cd "$RUN" && CLEARML_API_HOST=$BASE CLEARML_WEB_HOST=$BASE CLEARML_FILES_HOST=$BASE/files CLEARML_API_ACCESS_KEY=COMETLIVEACCESS00001 \
    CLEARML_API_SECRET_KEY=comet-live-test-secret-key-00000001 CLEARML_CONFIG_FILE=$WORK/clearml.conf PYTHONPATH=$CLEARML_SDK \
    "$PYTHON" "$OLDPWD/tests/comet-sdk/clearml_reads.py" "$WORK/expected.json") 2>&1 | tee "$WORK/clearml.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
fi
STEP=done
