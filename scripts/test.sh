#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL on loopback, runs every
# test under AddressSanitizer and UndefinedBehaviorSanitizer (against SQLite and that
# PostgreSQL), checks the shipped policies with the Release mtpctl, runs each libFuzzer target
# for 20 s (MTP_FUZZ_SECONDS; scripts/fuzz.sh runs them longer), runs the web UI's Playwright
# suite in Debian's headless Chromium against the Release mtpd (one mtpd --demo per backend,
# SQLite and that PostgreSQL), and stops PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$(date +%s)

scripts/install-deps.sh

echo "== build: tests with ASan + UBSan"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DMTP_SANITIZE=ON -DMTP_BUILD_BENCH=OFF

echo "== build: Release binaries (mtpd, mtpctl, bench_authz)"
scripts/build.sh build -DMTP_BUILD_TESTS=OFF

echo "== PostgreSQL"
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$MTP_PG_DIR" >/dev/null 2>&1 || true' EXIT
export MTP_TEST_PG MTP_PG_DIR MTP_PG_CTL MTP_SOURCE_DIR="$root"

echo "== policies"
build/service/ctl/mtpctl policy check policies/
build/service/ctl/mtpctl policy test policies/

echo "== tests (ASan + UBSan; SQLite and PostgreSQL)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j2 --timeout 900)

echo "== fuzz (libFuzzer + ASan + UBSan, clang): each target ${MTP_FUZZ_SECONDS:-20} s"
scripts/fuzz.sh "${MTP_FUZZ_SECONDS:-20}"
if [ "${MTP_SKIP_WEB:-0}" != "1" ]; then
  echo "== web UI: Playwright (Chromium, Release mtpd; SQLite and PostgreSQL)"
  # Two workers (each its own mtpd --demo): 58 specs in 6.4 min instead of ~14 with one.
  (cd web && MTP_WEB_WORKERS="${MTP_WEB_WORKERS:-2}" MTP_MTPD="$root/build/service/main/mtpd" npx playwright test)
fi
echo "== done in $(( $(date +%s) - start )) s"
