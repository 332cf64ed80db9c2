#!/usr/bin/env bash
# Scale measurement (issue 4): a throwaway PostgreSQL, `mtpctl seed` (1,000 orgs × 100 users ×
# 50 devices, 50 admins), a Release mtpd on it, then wrk per endpoint for two admins: the
# all-orgs `admin` and the `help_desk` granted exactly 20 orgs. Prints one JSON line per
# (admin, endpoint) with p50/p95/p99 in ms, then a Markdown table.
#
#   cmake -S . -B build-scale -DCMAKE_BUILD_TYPE=Release -DMTP_BUILD_TESTS=OFF -DMTP_BUILD_BENCH=OFF
#   cmake --build build-scale -j2 --target mtpd mtpctl
#   bench/load/run_scale.sh                      # BUILD=build-scale by default
#
# Knobs (environment): BUILD, ORGS=1000, USERS=100, DEVICES=50, ADMINS=50, DURATION=10s,
# CONNS="1 4" (wrk connections: one run per value), MTPD_THREADS=2, KEEP=1 (leave PostgreSQL and mtpd running and
# print how to reach them, e.g. for EXPLAIN ANALYZE with psql).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-scale}
ORGS=${ORGS:-1000}
USERS=${USERS:-100}
DEVICES=${DEVICES:-50}
ADMINS=${ADMINS:-50}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-1 4}
MTPD_THREADS=${MTPD_THREADS:-2}
PASSWORD=${PASSWORD:-scale test password 2026}
MTPD=$BUILD/service/main/mtpd
MTPCTL=$BUILD/service/ctl/mtpctl
[ -x "$MTPD" ] && [ -x "$MTPCTL" ] || { echo "run_scale.sh: build mtpd and mtpctl in $BUILD first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "run_scale.sh: wrk is not installed" >&2; exit 2; }

work=$(mktemp -d /tmp/mtp-scale.XXXXXX)
mtpd_pid=""
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    echo "KEEP=1: mtpd pid $mtpd_pid on $URL, PostgreSQL: $MTP_TEST_PG (stop: kill $mtpd_pid; scripts/pg.sh stop $MTP_PG_DIR)" >&2
    return
  fi
  [ -n "$mtpd_pid" ] && kill "$mtpd_pid" 2>/dev/null && wait "$mtpd_pid" 2>/dev/null || true
  [ -n "${MTP_PG_DIR:-}" ] && "$ROOT/scripts/pg.sh" stop "$MTP_PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

eval "$("$ROOT/scripts/pg.sh" start)"
DB=$MTP_TEST_PG
"$MTPD" migrate --db "$DB" >&2

echo "== seeding: $ORGS orgs × $USERS users × $DEVICES devices, $ADMINS admins" >&2
"$MTPCTL" seed --db "$DB" --orgs "$ORGS" --users-per-org "$USERS" --devices-per-org "$DEVICES" \
  --admins "$ADMINS" --provider-name "Scale MSP" --owner-password "$PASSWORD" >"$work/seed.txt"
kv() { sed -n "s/^$1=//p" "$work/seed.txt"; }
PID=$(kv provider)
echo "seed: $(kv seconds) s (provider $PID)" >&2
# What autovacuum does after a bulk load (mtpctl seed runs it too, but right after its COMMIT
# PostgreSQL may not yet mark the new pages all-visible): statistics and the visibility map, so
# COUNT(*) over a provider's rows can be an index-only scan.
psql "$DB" -qc "VACUUM (ANALYZE) organizations, admins, admin_org_grants, system_users, devices" >&2

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
URL=http://127.0.0.1:$PORT
"$MTPD" --db "$DB" --listen "127.0.0.1:$PORT" --threads "$MTPD_THREADS" \
  --policies "$ROOT/policies/builtin" --jwt-key-file "$work/jwt.key" --usage-interval 0 \
  >"$work/mtpd.log" 2>&1 &
mtpd_pid=$!
for _ in $(seq 1 100); do
  curl -sf "$URL/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$URL/readyz" >/dev/null || { cat "$work/mtpd.log" >&2; exit 1; }

login() {
  curl -sf -X POST "$URL/api/v2/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
TOKEN_ALL=$(login "$(kv admin_all_orgs)")
TOKEN_20=$(login "$(kv admin_20_orgs)")

base=/api/v2/providers/$PID
endpoints=(
  "users $base/users"
  "devices $base/devices"
  "organizations $base/organizations"
  "users_locked $base/users?filter=account_locked:eq:true"
)
# The Home widgets, when this build has them.
if [ "$(curl -s -o "$work/home.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN_ALL" "$URL$base/home")" = 200 ]; then
  endpoints+=("home $base/home")
  for id in $(python3 -c 'import json,sys; print(" ".join(w["id"] for w in json.load(open(sys.argv[1]))["widgets"]))' "$work/home.json"); do
    endpoints+=("home/$id $base/home/$id")
  done
fi

echo "== machine: $(nproc) vCPU, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t1 -c{$CONNS} -d$DURATION; mtpd --threads $MTPD_THREADS" >&2
results=$work/results.jsonl
: >"$results"
for conns in $CONNS; do
for who in all_orgs twenty_orgs; do
  if [ $who = all_orgs ]; then token=$TOKEN_ALL; else token=$TOKEN_20; fi
  for e in "${endpoints[@]}"; do
    label=${e%% *}
    path=${e#* }
    code=$(curl -s -o "$work/first.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$URL$path")
    total=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("totalCount", len(d.get("widgets", []))))' "$work/first.json" 2>/dev/null || echo "?")
    line=$(MTP_TOKEN=$token MTP_LABEL="$label" wrk -t1 -c"$conns" -d"$DURATION" \
      -s "$ROOT/bench/load/latency.lua" "$URL$path" | grep '^{')
    echo "{\"conns\":$conns,\"admin\":\"$who\",\"status\":$code,\"total\":\"$total\",${line#\{}" | tee -a "$results"
  done
done
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$results" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| connections | admin | endpoint | status | totalCount | req/s | p50 ms | p95 ms | p99 ms |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['conns']} | {r['admin']} | {r['label']} | {r['status']} | {r['total']} | {r['rps']:.0f} | "
          f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} |")
EOF
