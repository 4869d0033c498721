#!/usr/bin/env bash
# On-demand browser test of ZenML's dashboard against this server (not part of `dotnet test`; see README, "ZenML's dashboard").
# Needs: ZENML_DASHBOARD=<built by tests/zenml-dashboard/build.sh>, Debian's chromium, puppeteer-core (PUPPETEER_DIR=<its node_modules>).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${ZENML_DASHBOARD:?set ZENML_DASHBOARD to a dashboard built by tests/zenml-dashboard/build.sh}"
PORT=${PORT:-8098}
BASE=http://127.0.0.1:$PORT
DATA=$(mktemp -d)
SHOTS=${SHOTS:-$DATA/screenshots}
mkdir -p "$SHOTS"
dotnet build src/MlOps.Api -c Release -v q -nologo >/dev/null
MlOps__DataDir=$DATA MlOps__ZenMlDashboard__Path=$ZENML_DASHBOARD MlOps__Bootstrap__AdminUser=admin MlOps__Bootstrap__AdminPassword=admin-zen-test \
  MlOps__Bootstrap__AccessKey=ZENDASHTESTACCESSKEY MlOps__Bootstrap__SecretKey=zen-dash-test-secret-0001 \
  ASPNETCORE_URLS=$BASE dotnet src/MlOps.Api/bin/Release/net10.0/MlOps.Api.dll >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 1; done
${PYTHON:-/usr/bin/python3} tests/zenml-dashboard/seed.py "$BASE" admin admin-zen-test ZENDASHTESTACCESSKEY zen-dash-test-secret-0001
node tests/zenml-dashboard/walk.mjs "$BASE" admin admin-zen-test "$SHOTS"
echo "screenshots in $SHOTS"
