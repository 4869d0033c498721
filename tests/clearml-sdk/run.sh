#!/usr/bin/env bash
# On-demand live test: the UNMODIFIED ClearML Python SDK against this server, end to end (not part of `dotnet test`).
# Builds and starts the server on a free port with a fresh data dir, then runs each scenario's steps, each in a fresh
# process (a new SDK session), the later ones reading back and checking what the earlier ones wrote:
#   train     train.py (Task.init, parameters, configuration, scalars, plot, debug image, console, artifacts, output
#             model, tags, close), then verify.py
#   datasets  datasets.py write (clearml.Dataset: two versions, parent/child, tags, metadata, publish, move, rename,
#             delete), datasets.py read (get by id / project+name / version / tag, list_files, lineage, local copies
#             byte-equal, list_datasets, alias), then datasets_cli.py (the clearml-data CLI, one process per command)
#   offline   offline.py record (Task.set_offline(True): no server), offline.py import (Task.import_offline_session),
#             offline.py verify
#   hpo       hpo.py base (the base experiment), hpo.py optimize (HyperParameterOptimizer, grid search,
#             start_locally: 4 child processes), hpo.py verify (children, their scalars, the optimizer's summary, top)
#
# Getting the SDK (no PyPI needed): fetch the GitHub repository allegroai/clearml (the mounted `fetch` tool with
# source github:allegroai/clearml returns a git dir under /work/.mirror/), then
#   PP=$(bash ../shared/tools/clearml-sdk-env.sh <that git dir> | tail -1)     # installs Debian deps, prints PYTHONPATH
#
# Usage: tests/clearml-sdk/run.sh [--sdk PYTHONPATH] [--postgres] [--record DIR] [--keep] [SCENARIO...]
#   SCENARIO      train, datasets, offline, hpo (default: all four)
#   --sdk PP      the SDK's PYTHONPATH (or set CLEARML_SDK_PYTHONPATH)
#   --postgres    run the server on a throwaway PostgreSQL cluster (initdb/pg_ctl, as user postgres when root)
#                 instead of SQLite
#   --record DIR  put record_proxy.py between the SDK and the server; each step's calls go to DIR/<scenario>-<step>.jsonl
#                 (how ClearMl/Fixtures/sdk-*.jsonl are made)
#   --keep        keep the temp dir (server log, SDK output, data) for inspection
# Env: PYTHON (default /usr/bin/python3), PORT (default: a free port). Exit 0 = PASS, non-zero = FAIL.
set -euo pipefail
cd "$(dirname "$0")/../.."
SDK=${CLEARML_SDK_PYTHONPATH:-}
POSTGRES=0 KEEP=0 RECORD="" SCENARIOS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sdk) SDK=$2; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --record) mkdir -p "$2"; RECORD=$(realpath "$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    train|datasets|offline|hpo) SCENARIOS+=("$1"); shift ;;
    *) sed -n '2,30p' "$0"; exit 2 ;;
  esac
done
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(train datasets offline hpo)
[ -n "$SDK" ] || { echo "FAIL: no SDK: pass --sdk PYTHONPATH or set CLEARML_SDK_PYTHONPATH (see the header of $0)"; exit 2; }
NAME="ClearML SDK live test (${SCENARIOS[*]})"
. tests/live-server.sh
live_start clearml-sdk-live
KEY=SDKLIVETESTACCESS001 SECRET=sdk-live-test-secret-key-000000001
live_server --MlOps:Bootstrap:AccessKey=$KEY --MlOps:Bootstrap:SecretKey=$SECRET

SDK_BASE=$BASE
if [ -n "$RECORD" ]; then
  PROXY_PORT=$(free_port)
  "$PYTHON" tests/clearml-sdk/record_proxy.py "$PROXY_PORT" "$BASE" "$WORK/current.jsonl" &
  PROXY=$!
  SDK_BASE=http://127.0.0.1:$PROXY_PORT
  for _ in $(seq 20); do curl -s -o /dev/null "$SDK_BASE/health/ready" && break; sleep 0.5; done
  rm -f "$WORK/current.jsonl"
fi
export CLEARML_API_HOST=$SDK_BASE CLEARML_WEB_HOST=$SDK_BASE CLEARML_FILES_HOST=$SDK_BASE/files \
  CLEARML_API_ACCESS_KEY=$KEY CLEARML_API_SECRET_KEY=$SECRET CLEARML_CONFIG_FILE=$WORK/clearml.conf \
  CLEARML_CACHE_DIR=$WORK/cache PYTHONPATH=$SDK PYTHONUNBUFFERED=1
: >"$WORK/clearml.conf"
# The SDK logs failed calls ("Action failed <...>") and failed uploads, then carries on: treat any as a failure.
SDK_ERRORS='Action failed|Failed uploading|Failed getting|Traceback|Exception|Error|retrying'
# The scripts run from a copy outside any git repository, so the SDK stores their code (what the optimizer's children run)
# instead of this repository's state.
SCRIPTS=$WORK/scripts
mkdir -p "$SCRIPTS" && cp tests/clearml-sdk/*.py "$SCRIPTS/"

# step SCENARIO STEP SCRIPT ARGS...: runs one script in $WORK, fails on a non-zero exit or on an SDK error in its output,
# and with --record files its calls under DIR/SCENARIO-STEP.jsonl.
step() {
  local scenario=$1 name=$2 script=$3; shift 3
  STEP="$scenario: $script $*"
  echo "--- $scenario: $script $* ---"
  (cd "$WORK" && "$PYTHON" "$SCRIPTS/$script" "$@") 2>&1 | tee "$WORK/$scenario-$name.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
  if grep -E "$SDK_ERRORS" "$WORK/$scenario-$name.log" >/dev/null; then
    echo "$script: the SDK reported errors:"; grep -E "$SDK_ERRORS" "$WORK/$scenario-$name.log"; exit 1
  fi
  if [ -n "$RECORD" ] && [ -f "$WORK/current.jsonl" ]; then mv "$WORK/current.jsonl" "$RECORD/$scenario-$name.jsonl"; fi
}

for scenario in "${SCENARIOS[@]}"; do
  case $scenario in
    train)
      step train write train.py "$WORK/expected.json"
      step train read verify.py "$WORK/expected.json" ;;
    datasets)
      step datasets write datasets.py write "$WORK"
      step datasets read datasets.py read "$WORK"
      step datasets cli datasets_cli.py "$WORK" ;;
    offline)
      step offline record offline.py record "$WORK"
      step offline import offline.py import "$WORK"
      step offline read offline.py verify "$WORK" ;;
    hpo)
      step hpo base hpo.py base "$WORK"
      step hpo optimize hpo.py optimize "$WORK"
      step hpo read hpo.py verify "$WORK" ;;
  esac
done
STEP=done
