#!/usr/bin/env bash
# On-demand browser test of the ClearML web UI against this server (not part of `dotnet test`; see README, "Web UI").
# Needs: WEBUI=<a built clearml-web build/browser>, Debian's chromium, puppeteer-core (PUPPETEER_DIR=<its node_modules>),
# and the ClearML SDK (CLEARML_SDK_PYTHONPATH, e.g. from ../shared/tools/clearml-sdk-env.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${WEBUI:?set WEBUI to a built clearml-web build/browser directory}"
: "${CLEARML_SDK_PYTHONPATH:?set CLEARML_SDK_PYTHONPATH to the ClearML SDK source (see README)}"
PORT=${PORT:-8097}
BASE=http://127.0.0.1:$PORT
DATA=$(mktemp -d)
SHOTS=${SHOTS:-$DATA/screenshots}
mkdir -p "$SHOTS"
dotnet build src/MlOps.Api -c Release -v q -nologo >/dev/null
MlOps__DataDir=$DATA MlOps__WebUi__Path=$WEBUI MlOps__Bootstrap__AdminUser=admin MlOps__Bootstrap__AdminPassword=admin-ui-test \
  MlOps__Bootstrap__AccessKey=WEBUITESTACCESSKEY01 MlOps__Bootstrap__SecretKey=webui-test-secret-key-0001 \
  ASPNETCORE_URLS=$BASE dotnet src/MlOps.Api/bin/Release/net10.0/MlOps.Api.dll >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 1; done
# Run from a copy outside the repository: inside it, the SDK's repository and package analysis takes minutes.
for script in seed pipeline; do
  cp tests/webui/$script.py "$DATA/"
  CLEARML_API_HOST=$BASE CLEARML_WEB_HOST=$BASE CLEARML_FILES_HOST=$BASE/files \
    CLEARML_API_ACCESS_KEY=WEBUITESTACCESSKEY01 CLEARML_API_SECRET_KEY=webui-test-secret-key-0001 \
    CLEARML_CONFIG_FILE=$(mktemp) PYTHONPATH=$CLEARML_SDK_PYTHONPATH ${PYTHON:-/usr/bin/python3} "$DATA/$script.py"
done
node tests/webui/walk.mjs "$BASE" admin admin-ui-test "$SHOTS"
echo "screenshots in $SHOTS"
