#!/usr/bin/env bash
# Configures and builds MTP: scripts/build.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
jobs=$(nproc 2>/dev/null || echo 2)
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
cmake --build "$dir" -j"$jobs"

# The web UI (web/ -> web/dist, served by mtpd): `npm ci` when the lock file changed, then
# `npm run build` (client from docs/openapi.yaml, tsc --noEmit, vite build) when a source is
# newer than the last build. MTP_SKIP_WEB=1 skips it (mtpd then serves the API only); any
# other failure fails the build.
if [ "${MTP_SKIP_WEB:-0}" = "1" ]; then
  echo "build.sh: MTP_SKIP_WEB=1: web UI not built" >&2
else
  command -v npm >/dev/null 2>&1 || { echo "build.sh: npm not found (scripts/install-deps.sh installs it; MTP_SKIP_WEB=1 skips the UI)" >&2; exit 1; }
  if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    (cd web && npm ci --no-audit --no-fund)
  fi
  if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/package.json web/vite.config.ts web/tsconfig.json docs/openapi.yaml -newer web/dist/index.html -print -quit)" ]; then
    (cd web && npm run build)
  fi
fi
