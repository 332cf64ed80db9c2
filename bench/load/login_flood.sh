#!/usr/bin/env bash
# Issue 10 item 4: does a login flood slow everyone else? A Release mtpd on a fresh SQLite
# database (loopback only), then wrk measures /healthz and an authorized read (GET the
# provider's organizations with a bearer token) alone, and again while 16 keep-alive clients
# flood POST /api/v2/auth/login with unknown emails; once with the rate limits (the default)
# and once with --no-rate-limits, to show what the limits and the hash pool change. Prints
# one JSON line per measurement and a Markdown table (p50/p99 in ms, and the ratio flood/alone).
#
#   scripts/build.sh build -DMTP_BUILD_TESTS=OFF     # Release mtpd
#   bench/load/login_flood.sh                        # BUILD=build by default
#
# Knobs (environment): BUILD, DURATION=10s (each measurement), FLOOD_CONNS=16, CONNS=4,
# MTPD_FLAGS (added to every mtpd, e.g. "--max-hashing-callers 2"),
# MTPD_THREADS=2, MODES="limits nolimits control control_signins", FLOOD_DELAY_MS=0 (each flood connection's pause
# between two requests: 8 with 16 connections is about 2,000 sign-ins a second; 0 is as fast as
# wrk can). The control mode floods GET /healthz with the same connections instead of sign-ins
# (with the limits on): what any request flood of that volume costs, sign-in or not. The
# control_signins mode is the control plus one wrong sign-in a second from a client of its
# own: what the limits still let a flood do (one sign-in per address per second after its
# allowance), done by a well-behaved client instead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DURATION=${DURATION:-10s}
FLOOD_CONNS=${FLOOD_CONNS:-16}
CONNS=${CONNS:-4}
MTPD_THREADS=${MTPD_THREADS:-2}
MODES=${MODES:-limits nolimits control control_signins}
FLOOD_DELAY_MS=${FLOOD_DELAY_MS:-0}
MTPD_FLAGS=${MTPD_FLAGS:-}
MTPD=$BUILD/service/main/mtpd
[ -x "$MTPD" ] || { echo "login_flood.sh: build mtpd in $BUILD first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "login_flood.sh: wrk is not installed" >&2; exit 2; }

work=$(mktemp -d /tmp/mtp-flood.XXXXXX)
mtpd_pid=""
flood_pid=""
cleanup() {
  [ -n "$flood_pid" ] && kill "$flood_pid" 2>/dev/null || true
  [ -n "$mtpd_pid" ] && kill "$mtpd_pid" 2>/dev/null && wait "$mtpd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

EMAIL=owner@flood.example
PASSWORD="flood bench owner passphrase"
lua=$ROOT/bench/load/latency.lua
results=$work/results.jsonl

start_mtpd() {  # $1: extra flag or empty
  rm -f "$work"/mtp.db*
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  URL=http://127.0.0.1:$PORT
  MTP_BOOTSTRAP_EMAIL=$EMAIL MTP_BOOTSTRAP_PASSWORD=$PASSWORD "$MTPD" --db "sqlite:$work/mtp.db" \
    --listen "127.0.0.1:$PORT" --threads "$MTPD_THREADS" --policies "$ROOT/policies/builtin" \
    --jwt-key-file "$work/jwt.key" $MTPD_FLAGS $1 >"$work/mtpd.out" 2>"$work/mtpd.log" &
  mtpd_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "$URL/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local login
  login=$(curl -fsS -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$URL/api/v2/auth/login")
  TOKEN=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <<<"$login")
  PID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["admin"]["provider"])' <<<"$login")
}

stop_mtpd() {
  kill "$mtpd_pid" && wait "$mtpd_pid" 2>/dev/null || true
  mtpd_pid=""
}

measure() {  # $1 mode, $2 phase
  MTP_LABEL="$1 $2 healthz" wrk -t1 -c"$CONNS" -d"$DURATION" -s "$lua" "$URL/healthz" | tail -1 >>"$results"
  MTP_TOKEN=$TOKEN MTP_LABEL="$1 $2 read" wrk -t1 -c"$CONNS" -d"$DURATION" -s "$lua" \
    "$URL/api/v2/providers/$PID/organizations" | tail -1 >>"$results"
}

for mode in $MODES; do
  flag=""
  [ "$mode" = nolimits ] && flag=--no-rate-limits
  start_mtpd "$flag"
  echo "== $mode: mtpd on $URL (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  measure "$mode" alone
  # The flood runs through both measurements under it (two of DURATION, plus a margin).
  secs=${DURATION%s}
  control=""
  case $mode in control*) control=/healthz ;; esac
  MTP_FLOOD_DELAY_MS=$FLOOD_DELAY_MS MTP_FLOOD_PATH=$control \
    wrk -t2 -c"$FLOOD_CONNS" -d"$((2 * secs + 4))s" -s "$ROOT/bench/load/login_flood.lua" "$URL" \
    | tail -1 | sed "s/\"login_flood\"/\"$mode login_flood\"/" >"$work/flood.json" &
  flood_pid=$!
  signins_pid=""
  if [ "$mode" = control_signins ]; then
    (while kill -0 "$flood_pid" 2>/dev/null; do
       curl -s -o /dev/null -H 'Content-Type: application/json' \
         -d '{"email":"someone@flood.example","password":"not the password at all"}' "$URL/api/v2/auth/login"
       sleep 1
     done) &
    signins_pid=$!
  fi
  sleep 2
  measure "$mode" flood
  wait "$flood_pid" || true
  flood_pid=""
  [ -n "$signins_pid" ] && { kill "$signins_pid" 2>/dev/null; wait "$signins_pid" 2>/dev/null || true; }
  cat "$work/flood.json" >>"$results"
  stop_mtpd
done

cat "$results"
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {r["label"]: r for r in rows}
print("\n| mode | endpoint | alone p50 / p99 ms | under flood p50 / p99 ms | p99 ratio | flood answers |")
print("|---|---|---|---|---|---|")
for mode in ("limits", "nolimits", "control", "control_signins"):
    flood = by.get(f"{mode} login_flood")
    if not flood: continue
    answers = f"{flood['rps']:.0f}/s: 200 {flood['s200']}, 401 {flood['s401']}, 429 {flood['s429']}, 503 {flood['s503']}"
    for ep in ("healthz", "read"):
        a, f = by.get(f"{mode} alone {ep}"), by.get(f"{mode} flood {ep}")
        if not a or not f: continue
        ratio = f["p99_ms"] / a["p99_ms"] if a["p99_ms"] > 0 else float("inf")
        print(f"| {mode} | {ep} | {a['p50_ms']:.2f} / {a['p99_ms']:.2f} | {f['p50_ms']:.2f} / {f['p99_ms']:.2f} | {ratio:.1f}x | {answers} |")
PY
