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
PYTHON=${PYTHON:-/usr/bin/python3}
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d /tmp/comet-sdk-live.XXXXXX)
chmod 755 "$WORK"
SERVER="" PROXY="" PGBIN="" STEP=setup DB=sqlite
cleanup() {
  rc=$?
  [ -n "$PROXY" ] && kill "$PROXY" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ -n "$PGBIN" ]; then su -s /bin/sh postgres -c "$PGBIN/pg_ctl -D $WORK/pg/data -m immediate stop" >/dev/null 2>&1 \
    || "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ $rc -eq 0 ]; then echo "=== PASS: Comet SDK live test ($DB) ==="
  else
    echo "=== FAIL: Comet SDK live test ($DB), failed at: $STEP ==="
    [ -f "$WORK/server.log" ] && { echo "--- server log (warnings/errors, last 40) ---"; grep -E '\[(WRN|ERR|FTL)\]|Exception' "$WORK/server.log" | tail -40 || true; }
  fi
  if [ $KEEP -eq 1 ] || [ $rc -ne 0 ]; then echo "logs and data kept in $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DBARGS=()
if [ $POSTGRES -eq 1 ]; then
  DB=postgres STEP="start PostgreSQL"
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PGBIN/initdb" ] || { echo "no initdb/pg_ctl under /usr/lib/postgresql"; exit 1; }
  PGPORT=$(free_port); mkdir -p "$WORK/pg"
  as_pg() { if [ "$(id -u)" = 0 ]; then su -s /bin/sh postgres -c "$*"; else sh -c "$*"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
  as_pg "$PGBIN/initdb -D $WORK/pg/data -U postgres -A trust --no-sync -E UTF8" >"$WORK/pg.log" 2>&1
  as_pg "$PGBIN/pg_ctl -D $WORK/pg/data -l $WORK/pg/log -w -t 60 -o '-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off' start" >>"$WORK/pg.log" 2>&1
  DBARGS=(--MlOps:Database:Provider=Postgres "--ConnectionStrings:MlOps=Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres")
fi

STEP="build the server"
echo "building the server (Release)..."
dotnet build src/MlOps.Api -c Release -v q -nologo >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }

STEP="start the server"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
KEY=comet-live-test-api-key-000000001
dotnet src/MlOps.Api/bin/Release/net10.0/MlOps.Api.dll --urls "$BASE" --MlOps:DataDir="$WORK/data" \
  --MlOps:Bootstrap:ApiKey=$KEY --MlOps:Bootstrap:AccessKey=COMETLIVEACCESS00001 \
  --MlOps:Bootstrap:SecretKey=comet-live-test-secret-key-00000001 "${DBARGS[@]}" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 90); do
  curl -sf "$BASE/health/ready" >/dev/null && break
  kill -0 $SERVER 2>/dev/null || { tail -30 "$WORK/server.log"; exit 1; }
  sleep 1
done
curl -sf "$BASE/health/ready" >/dev/null || { echo "server not ready after 90 s"; exit 1; }
echo "server up at $BASE ($DB), data in $WORK"

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
