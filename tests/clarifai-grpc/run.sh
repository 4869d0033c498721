#!/usr/bin/env bash
# On-demand live test: Clarifai's UNMODIFIED official Python client (clarifai-grpc 11.6.1) against this server over
# both of its transports, gRPC (ClarifaiChannel.get_insecure_grpc_channel) and REST/JSON (get_json_channel), not part
# of `dotnet test`. Starts the server on a free port with its gRPC port on another (MlOps:Clarifai:GrpcUrls), then
# runs client.py: every served RPC on each transport, what each wrote read back through the other, failures in
# `status`, an RPC not served answering UNIMPLEMENTED.
#
# Getting the client (no PyPI needed): fetch github:Clarifai/clarifai-python-grpc and
# github:googleapis/python-api-common-protos (the mounted `fetch` tool returns their git dirs under /work/.mirror/), then
#   PP=$(bash ../shared/tools/clarifai-grpc-env.sh <client git dir> <protos git dir> | tail -1)   # Debian deps, PYTHONPATH
#
# Usage: tests/clarifai-grpc/run.sh [--client PYTHONPATH] [--postgres] [--keep]
#   --client PP   the client's PYTHONPATH (or set CLARIFAI_GRPC_PYTHONPATH)
#   --postgres    run the server on a throwaway PostgreSQL cluster instead of SQLite
#   --keep        keep the temp dir (server log, data) for inspection
# Env: PYTHON (default /usr/bin/python3), PORT (default: a free port). Exit 0 = PASS, non-zero = FAIL.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENT=${CLARIFAI_GRPC_PYTHONPATH:-}
POSTGRES=0 KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --client) CLIENT=$2; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
[ -n "$CLIENT" ] || { echo "FAIL: no client: pass --client PYTHONPATH or set CLARIFAI_GRPC_PYTHONPATH (see the header of $0)"; exit 2; }
NAME="Clarifai official client live test (gRPC and REST)"
. tests/live-server.sh
live_start clarifai-grpc-live
KEY=clarifai-live-test-api-key-0001 USER_NAME=admin
GRPC=127.0.0.1:$(free_port)
live_server --MlOps:Bootstrap:ApiKey=$KEY --MlOps:Bootstrap:AdminUser=$USER_NAME "--MlOps:Clarifai:GrpcUrls:0=http://$GRPC"

STEP="client.py (gRPC and REST)"
echo "--- client.py: gRPC at $GRPC, REST at $BASE ---"
PYTHONPATH=$CLIENT "$PYTHON" tests/clarifai-grpc/client.py "$GRPC" "$BASE" "$KEY" "$USER_NAME" 2>&1 | tee "$WORK/client.log"
[ "${PIPESTATUS[0]}" -eq 0 ]
