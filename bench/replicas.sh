#!/usr/bin/env bash
# Ingest through haproxy with 1, 2 and 3 replicas, beside one replica without a balancer: a fresh PostgreSQL (fsync on),
# Release servers on one database, Debian's haproxy (round robin) in front, and MlOps.Bench's ingest phases (binary COPY
# ceiling, events.add_batch with 1 and 4 clients, Comet single points and batches at 64 clients, /health/live).
# Every process shares this machine's cores: the figures show what the balancer and more processes cost or give here,
# not what more machines would. Usage: bash bench/replicas.sh [REPLICA_COUNTS]   (default "1 2 3")
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTS="${1:-1 2 3}"
WORK="$(mktemp -d /tmp/mlops-replicas-XXXXXX)"
PG_BIN="$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")"
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
PORT=55498
AS_PG=(); if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS_PG=(su postgres -c); fi
run_pg() { if [ ${#AS_PG[@]} -gt 0 ]; then "${AS_PG[@]}" "$*"; else bash -c "$*"; fi; }
PIDS=()
stop_servers() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; PIDS=(); }
cleanup() { stop_servers; run_pg "$PG_BIN/pg_ctl -D $WORK/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build -c Release src/MlOps.Api -v q -nologo >/dev/null
dotnet build -c Release bench/MlOps.Bench -v q -nologo >/dev/null
run_pg "$PG_BIN/initdb -D $WORK/data -U postgres -A trust -E UTF8" >/dev/null
run_pg "$PG_BIN/pg_ctl -D $WORK/data -l $WORK/pg.log -w -o '-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=1GB' start" >/dev/null

start_replica() { # $1 = name, $2 = database; appends its port to PORTS
  local port; port=$(free_port)
  (cd src/MlOps.Api/bin/Release/net10.0 && MlOps__Database__Provider=Postgres ConnectionStrings__MlOps="$2" MlOps__DataDir="$WORK/files-$1" \
    MlOps__Bootstrap__AccessKey=BENCHACCESSKEY MlOps__Bootstrap__SecretKey=BENCHSECRETKEY MlOps__Bootstrap__ApiKey=BENCHAPIKEY \
    Serilog__MinimumLevel__Default=Warning exec dotnet MlOps.Api.dll --urls "http://127.0.0.1:$port" >"$WORK/server-$1.log" 2>&1) &
  PIDS+=($!)
  PORTS+=("$port")
}
wait_ready() { for _ in $(seq 120); do curl -sf "$1/health/ready" >/dev/null && return 0; sleep 0.5; done; echo "not ready: $1"; exit 1; }

measure() { # $1 = label, $2 = replica count, $3 = through haproxy (1) or not (0)
  local db="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=$1"
  psql -h 127.0.0.1 -p $PORT -U postgres -qc "CREATE DATABASE $1"
  local servers=""
  PORTS=()
  for i in $(seq "$2"); do start_replica "$1-$i" "$db"; done
  for p in "${PORTS[@]}"; do wait_ready "http://127.0.0.1:$p"; servers+="  server r$p 127.0.0.1:$p check inter 1s"$'\n'; done
  local url="http://127.0.0.1:${PORTS[0]}"
  if [ "$3" = 1 ]; then
    local lb; lb=$(free_port)
    printf 'global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 10m\n  timeout server 10m\nfrontend f\n  bind 127.0.0.1:%s\n  default_backend b\nbackend b\n  balance roundrobin\n  option httpchk GET /health/ready\n%s' \
      "$lb" "$servers" >"$WORK/haproxy-$1.cfg"
    "$HAPROXY" -db -f "$WORK/haproxy-$1.cfg" >"$WORK/haproxy-$1.log" 2>&1 &
    PIDS+=($!)
    url="http://127.0.0.1:$lb"; wait_ready "$url"
  fi
  echo "=== $1: $2 replica(s)$([ "$3" = 1 ] && echo ' through haproxy' || echo ', direct') ==="
  dotnet bench/MlOps.Bench/bin/Release/net10.0/MlOps.Bench.dll --url "$url" --db "$db" --access-key BENCHACCESSKEY --secret-key BENCHSECRETKEY \
    --api-key BENCHAPIKEY --server-pid "${PIDS[0]}" --ingest-only true | sed -n '/^| figure/,$p'
  stop_servers
}

measure direct1 1 0
for n in $COUNTS; do measure "haproxy$n" "$n" 1; done
