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
PYTHON=${PYTHON:-/usr/bin/python3}
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d /tmp/clearml-sdk-live.XXXXXX)
chmod 755 "$WORK"
SERVER="" PGBIN="" STEP=setup
cleanup() {
  rc=$?
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ -n "$PGBIN" ]; then su -s /bin/sh postgres -c "$PGBIN/pg_ctl -D $WORK/pg/data -m immediate stop" >/dev/null 2>&1 \
    || "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ $rc -eq 0 ]; then echo "=== PASS: ClearML SDK live test ($DB) ==="
  else
    echo "=== FAIL: ClearML SDK live test ($DB), failed at: $STEP ==="
    [ -f "$WORK/server.log" ] && { echo "--- server log (warnings/errors, last 40) ---"; grep -E '\[(WRN|ERR|FTL)\]|Exception' "$WORK/server.log" | tail -40 || true; }
  fi
  if [ $KEEP -eq 1 ] || [ $rc -ne 0 ]; then echo "logs and data kept in $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
DB=sqlite
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
PORT=${PORT:-$(free_port)}
BASE=http://127.0.0.1:$PORT
KEY=SDKLIVETESTACCESS001 SECRET=sdk-live-test-secret-key-000000001
dotnet src/MlOps.Api/bin/Release/net10.0/MlOps.Api.dll --urls "$BASE" --MlOps:DataDir="$WORK/data" \
  --MlOps:Bootstrap:AccessKey=$KEY --MlOps:Bootstrap:SecretKey=$SECRET "${DBARGS[@]}" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 90); do
  curl -sf "$BASE/health/ready" >/dev/null && break
  kill -0 $SERVER 2>/dev/null || { tail -30 "$WORK/server.log"; exit 1; }
  sleep 1
done
curl -sf "$BASE/health/ready" >/dev/null || { echo "server not ready after 90 s"; exit 1; }
echo "server up at $BASE ($DB), data in $WORK"

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
