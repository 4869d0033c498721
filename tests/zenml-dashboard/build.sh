#!/usr/bin/env bash
# Builds ZenML's dashboard to be served by this server under /zenml/ (MlOps:ZenMlDashboard:Path), offline.
# The dashboard assumes it owns "/", so two build-time edits move it under /zenml/ (nothing fetched is committed):
# Vite's `base` (asset URLs) and React Router's `basename` (page URLs). It then calls the shared recipe.
# Usage: bash tests/zenml-dashboard/build.sh MIRROR_GIT_DIR [OUT_DIR]   (MIRROR_GIT_DIR: what `fetch github:zenml-io/zenml-dashboard` returned)
#   ZENML_DASH_REF=<tag or commit>   another version than v0.44.2
set -euo pipefail
mirror=${1:?usage: build.sh MIRROR_GIT_DIR [OUT_DIR]} OUT=${2:-/tmp/zenml-dashboard/zenml}
REF=${ZENML_DASH_REF:-v0.44.2}
BUILD_TOOL=${ZENML_DASH_BUILD_TOOL:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/tools/zenml-dashboard-build.sh}
[ -f "$BUILD_TOOL" ] || BUILD_TOOL=/work/shared/tools/zenml-dashboard-build.sh
W=$(mktemp -d /tmp/zenml-dash-base-XXXX); trap 'rm -rf "$W"' EXIT
git clone -q --no-checkout "$mirror" "$W/repo"
cd "$W/repo"
git -c advice.detachedHead=false checkout -q "$REF"
# Assets under /zenml/ (Vite's base), pages under /zenml/ (the router's basename), and the sign-in redirect kept
# relative to that basename (it is read from window.location, which includes it).
sed -i 's|^export default defineConfig({|export default defineConfig({\n\tbase: "/zenml/",|' vite.config.ts
sed -i '$ s|^\]);$|], { basename: "/zenml" });|' src/router/Router.tsx
sed -i 's|redirect: location.pathname + location.search|redirect: location.pathname.replace(/^\\/zenml/, "") + location.search|' src/router/ProtectedRoute.tsx
# Three places hand the router a path read from window.location, which carries the basename, so the router would
# add it again (/zenml/zenml/...): the run page's default tab, the overview banner's close and the survey's redirect.
sed -i 's|const newPath = `${newUrl.pathname}${newUrl.search}`;|const newPath = { search: newUrl.search };|' \
  src/components/runs/detail-tabs/Overview/Details.tsx
sed -i 's|navigate(window.location.pathname)|navigate({ search: "" })|' src/app/overview/success-banner.tsx
sed -i 's|`${window.location.origin}${redirect}`|`${window.location.origin}/zenml${redirect}`|' src/components/survey/SuccessStep.tsx
grep -q 'base: "/zenml/"' vite.config.ts && grep -q 'basename: "/zenml"' src/router/Router.tsx \
  && grep -q 'origin}/zenml${redirect}' src/components/survey/SuccessStep.tsx \
  || { echo "this dashboard version does not take the /zenml/ edits"; exit 1; }
# Any other path from window.location handed to the router would be doubled the same way.
if grep -rnE 'navigate\(window\.location|\$\{newUrl\.pathname\}' src; then echo "a path from window.location reaches the router"; exit 1; fi
git -c user.name=build -c user.email=build@localhost commit -qam "serve under /zenml/"
ZENML_DASH_REF=HEAD VITE_API_BASE_URL=/api/v1 bash "$BUILD_TOOL" "$W/repo/.git" "$OUT"
