#!/usr/bin/env bash
# Builds MLflow's own UI (mlflow/server/js at v2.12.2) offline, from the npm registry only, with the yarn release the
# repository commits. The 14 git dependencies (plotly's ndarray forks, databricks' json-bigint) are unreachable here:
# their npm releases stand in through `resolutions`; react-router-dom-v5-compat@6.4.1 left the registry, 6.4.2 stands in.
# Usage: bash tests/mlflow-ui/build.sh [OUT_DIR]                    -> prints OUT_DIR (last line)
#   MLFLOW_MIRROR=<git dir>   the bare mirror (default /work/.mirror/williamjamir+mlflow/repo, `fetch github:williamjamir/mlflow`)
#   MLFLOW_UI_REF=<tag>       another version (default v2.12.2)
#   MLFLOW_UI_WORK=<dir>      where sources and node_modules stay between runs (default /tmp/mlflow-ui-work)
# Idempotent: an OUT_DIR holding index.html built from the same ref is kept. About 10 minutes and 6 GB of RAM on 2 cores.
set -euo pipefail
OUT=${1:-/tmp/mlflow-ui/build}
MIRROR=${MLFLOW_MIRROR:-/work/.mirror/williamjamir+mlflow/repo}
REF=${MLFLOW_UI_REF:-v2.12.2}
WORK=${MLFLOW_UI_WORK:-/tmp/mlflow-ui-work}
if [ -f "$OUT/index.html" ] && [ "$(cat "$OUT/.mlflow-ui-ref" 2>/dev/null)" = "$REF" ]; then echo "$OUT"; exit 0; fi
git --git-dir="$MIRROR" cat-file -e "$REF^{commit}" 2>/dev/null || { echo "the mirror $MIRROR has no $REF"; exit 3; }
SRC=$WORK/mlflow/server/js
if [ "$(cat "$WORK/.ref" 2>/dev/null)" != "$REF" ]; then
  rm -rf "$WORK"; mkdir -p "$WORK"
  # the mirror lacks a few blobs under docs/; only mlflow/server/js is read
  git --git-dir="$MIRROR" archive "$REF" mlflow/server/js | tar -x -C "$WORK"
  echo "$REF" >"$WORK/.ref"
fi
cd "$SRC"
node - <<'JS'
const fs = require('fs');
const p = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const fromNpm = {
  'box-intersect': '1.0.2', 'incremental-convex-hull': '1.0.1', 'ndarray': '1.0.19',
  'ndarray-extract-contour': '1.0.1', 'ndarray-gradient': '1.0.1', 'ndarray-ops': '1.2.2',
  'ndarray-pack': '1.2.1', 'ndarray-sort': '1.0.1', 'robust-determinant': '1.1.0',
  'robust-linear-solve': '1.0.0', 'simplicial-complex-contour': '1.0.2', 'surface-nets': '1.0.2',
  'zero-crossings': '1.0.1', 'json-bigint': '0.2.3',
};
p.dependencies['json-bigint'] = fromNpm['json-bigint'];
p.dependencies['react-router-dom-v5-compat'] = '6.4.2';
Object.assign(p.resolutions, fromNpm);
fs.writeFileSync('package.json', JSON.stringify(p, null, 2) + '\n');
JS
export YARN_ENABLE_IMMUTABLE_INSTALLS=false YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=false \
  YARN_NPM_REGISTRY_SERVER=https://registry.npmjs.org YARN_ENABLE_PROGRESS_BARS=false
nice -n 10 node yarn/releases/yarn-3.6.3.cjs install >&2
NODE_OPTIONS=--max-old-space-size=6144 GENERATE_SOURCEMAP=false CI=false nice -n 10 node yarn/releases/yarn-3.6.3.cjs build >&2
[ -f build/index.html ] || { echo "the build produced no build/index.html"; exit 1; }
rm -rf "$OUT"; mkdir -p "$(dirname "$OUT")"; cp -r build "$OUT"; echo "$REF" >"$OUT/.mlflow-ui-ref"
echo "$OUT"
