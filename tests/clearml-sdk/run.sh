#!/usr/bin/env bash
# On-demand live test: the UNMODIFIED ClearML Python SDK against this server, end to end (not part of `dotnet test`).
# Builds and starts the server on a free port with a fresh data dir, runs train.py (a training script: Task.init,
# parameters, configuration, scalars, plot, debug image, console, artifacts, output model, tags, close), then
# verify.py in a second, fresh process (a new SDK session) that reads everything back and checks it.
#
# Getting the SDK (no PyPI needed): fetch the GitHub repository allegroai/clearml (the mounted `fetch` tool with
# source github:allegroai/clearml returns a git dir under /work/.mirror/), then
#   PP=$(bash ../shared/tools/clearml-sdk-env.sh <that git dir> | tail -1)     # installs Debian deps, prints PYTHONPATH
#
# Usage: tests/clearml-sdk/run.sh [--sdk PYTHONPATH] [--postgres] [--keep]
#   --sdk PP      the SDK's PYTHONPATH (or set CLEARML_SDK_PYTHONPATH)
#   --postgres    run the server on a throwaway PostgreSQL cluster (initdb/pg_ctl, as user postgres when root)
#                 instead of SQLite
#   --keep        keep the temp dir (server log, SDK output, data) for inspection
# Env: PYTHON (default /usr/bin/python3), PORT (default: a free port). Exit 0 = PASS, non-zero = FAIL.
set -euo pipefail
cd "$(dirname "$0")/../.."
SDK=${CLEARML_SDK_PYTHONPATH:-}
POSTGRES=0 KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sdk) SDK=$2; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
[ -n "$SDK" ] || { echo "FAIL: no SDK: pass --sdk PYTHONPATH or set CLEARML_SDK_PYTHONPATH (see the header of $0)"; exit 2; }
NAME="ClearML SDK live test"
. tests/live-server.sh
live_start clearml-sdk-live
KEY=SDKLIVETESTACCESS001 SECRET=sdk-live-test-secret-key-000000001
live_server --MlOps:Bootstrap:AccessKey=$KEY --MlOps:Bootstrap:SecretKey=$SECRET

export CLEARML_API_HOST=$BASE CLEARML_WEB_HOST=$BASE CLEARML_FILES_HOST=$BASE/files \
  CLEARML_API_ACCESS_KEY=$KEY CLEARML_API_SECRET_KEY=$SECRET CLEARML_CONFIG_FILE=$WORK/clearml.conf \
  CLEARML_CACHE_DIR=$WORK/cache PYTHONPATH=$SDK PYTHONUNBUFFERED=1
: >"$WORK/clearml.conf"
# The SDK logs failed calls ("Action failed <...>") and failed uploads, then carries on: treat any as a failure.
SDK_ERRORS='Action failed|Failed uploading|Failed getting|Traceback|Exception|Error|retrying'

STEP="train.py (the SDK writes)"
echo "--- train.py ---"
(cd "$WORK" && "$PYTHON" "$OLDPWD/tests/clearml-sdk/train.py" "$WORK/expected.json") 2>&1 | tee "$WORK/train.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
if grep -E "$SDK_ERRORS" "$WORK/train.log" >/dev/null; then
  echo "train.py: the SDK reported errors:"; grep -E "$SDK_ERRORS" "$WORK/train.log"; exit 1
fi

STEP="verify.py (a second SDK process reads back)"
echo "--- verify.py ---"
(cd "$WORK" && "$PYTHON" "$OLDPWD/tests/clearml-sdk/verify.py" "$WORK/expected.json") 2>&1 | tee "$WORK/verify.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
if grep -E "Action failed|Failed uploading|Failed getting" "$WORK/verify.log" >/dev/null; then
  echo "verify.py: the SDK reported failed calls:"; grep -E "Action failed|Failed uploading|Failed getting" "$WORK/verify.log"; exit 1
fi
STEP=done
