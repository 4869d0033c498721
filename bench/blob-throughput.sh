#!/usr/bin/env bash
# Blob store throughput: the Release server on SQLite, a SIZE_MB file (default 100) uploaded to and downloaded from
# ClearML's /files RUNS times with curl, once on the FileSystem store and once on S3 (the running store named by
# S3_ENDPOINT/S3_ACCESS_KEY/S3_SECRET_KEY, else a Ceph RADOS Gateway from ../shared/tools/s3-test-server.sh, as root).
# Prints MB/s per run and the server's peak resident memory (VmHWM), which stays flat when bodies are streamed.
# Usage: bash bench/blob-throughput.sh [SIZE_MB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-100}; RUNS=${2:-3}
WORK=$(mktemp -d /tmp/mlops-blob-bench-XXXXXX)
SERVER=""; GATEWAY=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -n "$GATEWAY" ] && bash ../shared/tools/s3-test-server.sh stop "$GATEWAY" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build -c Release src/MlOps.Api -v q -nologo >/dev/null
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$WORK/payload.bin"
if [ -z "${S3_ENDPOINT:-}" ]; then
  GATEWAY=$WORK/s3
  eval "$(bash ../shared/tools/s3-test-server.sh start "$GATEWAY" 2>"$WORK/s3-start.log")"
fi

measure() { # $1 = label; the rest = server settings
  local label=$1; shift
  local base="http://127.0.0.1:$(port)"
  dotnet src/MlOps.Api/bin/Release/net10.0/MlOps.Api.dll --urls "$base" --MlOps:DataDir="$WORK/data-$label" \
    --MlOps:Bootstrap:AccessKey=BENCHKEY --MlOps:Bootstrap:SecretKey=BENCHSECRET --Serilog:MinimumLevel:Default=Warning --Serilog:MinimumLevel:Override:MlOps.Data.Blobs=Debug "$@" \
    >"$WORK/server-$label.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 60); do curl -sf "$base/health/ready" >/dev/null && break; sleep 1; done
  local token
  token=$(curl -sf -u BENCHKEY:BENCHSECRET -X POST "$base/auth.login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["token"])')
  for run in $(seq "$RUNS"); do
    # A new path each run, and new content, so no run is served by deduplication.
    printf '%08d' "$run" | dd of="$WORK/payload.bin" bs=1 seek=0 conv=notrunc status=none
    local up down
    up=$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" \
      -F "bench/$label/$run.bin=@$WORK/payload.bin;type=application/octet-stream" "$base/files")
    down=$(curl -sf -o "$WORK/download.bin" -w '%{time_total}' -H "Authorization: Bearer $token" "$base/files/bench/$label/$run.bin")
    cmp -s "$WORK/payload.bin" "$WORK/download.bin" || { echo "$label run $run: download differs"; exit 1; }
    python3 -c "print('$label run $run: upload %.0f MB/s, download %.0f MB/s' % ($SIZE_MB / $up, $SIZE_MB / $down))"
  done
  echo "$label server peak RSS: $(awk '/VmHWM/ {printf "%d MB", $2 / 1024}' /proc/$SERVER/status)"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  grep -ho 'uploaded in parts.*' "$WORK/server-$label.log" || true
}

measure filesystem
measure s3 --MlOps:Blobs:Provider=S3 --MlOps:Blobs:S3:ServiceUrl="$S3_ENDPOINT" --MlOps:Blobs:S3:Bucket=bench-blobs \
  --MlOps:Blobs:S3:AccessKey="$S3_ACCESS_KEY" --MlOps:Blobs:S3:SecretKey="$S3_SECRET_KEY"
