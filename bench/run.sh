#!/usr/bin/env bash
# One benchmark run: a fresh PostgreSQL (fsync on) and the Release server on loopback, then every figure of
# BENCHMARKS.md. Usage: bash bench/run.sh [MAX_POINTS]   (default 100000000; 10000000 for a quicker run)
# With BENCH_SERVER_ONLY=1 it starts PostgreSQL and the server and waits, for profiling by hand; it ends with
# bench/replicas.sh "1 2" (haproxy in front of one and two replicas) unless BENCH_SKIP_REPLICAS=1.
# BENCH_ARGS is passed on to the bench, e.g. BENCH_ARGS="--reads-only true --reads-repeat 3" (then no replicas run).
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_POINTS="${1:-100000000}"
WORK="$(mktemp -d /tmp/mlops-bench-XXXXXX)"
PG_BIN="$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")"
PORT=55499; HTTP_PORT=8099
AS_PG=(); if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS_PG=(su postgres -c); fi
run_pg() { if [ ${#AS_PG[@]} -gt 0 ]; then "${AS_PG[@]}" "$*"; else bash -c "$*"; fi; }
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  run_pg "$PG_BIN/pg_ctl -D $WORK/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building (Release)"
dotnet build -c Release src/MlOps.Api >/dev/null
dotnet build -c Release bench/MlOps.Bench >/dev/null
echo "starting PostgreSQL in $WORK"
run_pg "$PG_BIN/initdb -D $WORK/data -U postgres -A trust -E UTF8" >/dev/null
run_pg "$PG_BIN/pg_ctl -D $WORK/data -l $WORK/pg.log -w -o '-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=1GB' start" >/dev/null
psql -h 127.0.0.1 -p $PORT -U postgres -qc "CREATE DATABASE mlops"
DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=mlops"

echo "starting the server on :$HTTP_PORT"
(cd src/MlOps.Api/bin/Release/net10.0 && MlOps__Database__Provider=Postgres ConnectionStrings__MlOps="$DB" MlOps__DataDir="$WORK/files" \
  MlOps__Bootstrap__AccessKey=BENCHACCESSKEY MlOps__Bootstrap__SecretKey=BENCHSECRETKEY MlOps__Bootstrap__ApiKey=BENCHAPIKEY \
  exec dotnet MlOps.Api.dll --urls "http://127.0.0.1:$HTTP_PORT" >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null && break; sleep 1; done

if [ -n "${BENCH_SERVER_ONLY:-}" ]; then echo "server pid $SERVER_PID db $DB"; sleep 100000; fi
dotnet bench/MlOps.Bench/bin/Release/net10.0/MlOps.Bench.dll --url "http://127.0.0.1:$HTTP_PORT" --db "$DB" \
  --access-key BENCHACCESSKEY --secret-key BENCHSECRETKEY --api-key BENCHAPIKEY --server-pid "$SERVER_PID" --max-points "$MAX_POINTS" ${BENCH_ARGS:-}

# Goal 7 of the figures: the ingest phases through haproxy with one and two replicas, beside one reached directly.
if [ -z "${BENCH_SKIP_REPLICAS:-}" ] && [[ "${BENCH_ARGS:-}" != *--reads-only* ]]; then
  echo "replicas (bench/replicas.sh \"1 2\")"
  bash bench/replicas.sh "1 2"
fi
