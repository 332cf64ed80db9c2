#!/usr/bin/env bash
# Web timing (issue 13): a throwaway PostgreSQL, `mtpctl seed` (1,000 orgs × 100 users × 50
# devices), a Release mtpd serving web/dist, then Chromium (Playwright) times a filter change on
# Users and on Devices until its first page is on screen. Needs a Release build in $BUILD
# (`MTP_SKIP_WEB=1 scripts/build.sh build -DMTP_BUILD_TESTS=OFF`) and web/dist (`cd web && npm
# ci && npm run build`). RUNS=5 per filter. Prints one JSON line per filter and the load.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
PASSWORD=${PASSWORD:-scale test password 2026}
MTPD=$BUILD/service/main/mtpd
MTPCTL=$BUILD/service/ctl/mtpctl
[ -x "$MTPD" ] && [ -x "$MTPCTL" ] && [ -f "$ROOT/web/dist/index.html" ] || { echo "run_filter_timing.sh: build mtpd, mtpctl and web/dist first" >&2; exit 2; }
work=$(mktemp -d)
mtpd_pid=""
cleanup() {
  [ -n "$mtpd_pid" ] && kill "$mtpd_pid" 2>/dev/null && wait "$mtpd_pid" 2>/dev/null || true
  [ -n "${MTP_PG_DIR:-}" ] && "$ROOT/scripts/pg.sh" stop "$MTP_PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$("$ROOT/scripts/pg.sh" start)"
"$MTPD" migrate --db "$MTP_TEST_PG" >&2
"$MTPCTL" seed --db "$MTP_TEST_PG" --orgs 1000 --users-per-org 100 --devices-per-org 50 --admins 50 \
  --provider-name "Scale MSP" --owner-password "$PASSWORD" >"$work/seed.txt"
kv() { sed -n "s/^$1=//p" "$work/seed.txt"; }
echo "seed: $(kv seconds) s" >&2
psql "$MTP_TEST_PG" -qc "VACUUM (ANALYZE) organizations, admins, admin_org_grants, system_users, devices" >&2
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$MTPD" --db "$MTP_TEST_PG" --listen "127.0.0.1:$PORT" --threads 2 --web "$ROOT/web/dist" \
  --policies "$ROOT/policies/builtin" --jwt-key-file "$work/jwt.key" --usage-interval 0 >"$work/mtpd.log" 2>&1 &
mtpd_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "== machine: $(nproc) vCPU, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# The spec imports @playwright/test: resolve it from web/node_modules.
ln -sfn "$ROOT/web/node_modules" "$ROOT/bench/web/node_modules"
cd "$ROOT/web"
MTP_BENCH_URL="http://127.0.0.1:$PORT" MTP_BENCH_EMAIL="$(kv admin_all_orgs)" MTP_BENCH_PASSWORD="$PASSWORD" \
  npx playwright test --config "$ROOT/bench/web/playwright.config.ts"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
