#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL on loopback, runs every
# test (a Release build, then the tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer), checks the shipped policies, and stops PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh

echo "== build (Release)"
scripts/build.sh build

echo "== build (ASan + UBSan)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DMTP_SANITIZE=ON -DMTP_BUILD_BENCH=OFF

echo "== PostgreSQL"
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$MTP_PG_DIR" >/dev/null 2>&1 || true' EXIT
export MTP_TEST_PG MTP_PG_DIR MTP_PG_CTL MTP_SOURCE_DIR="$root"

echo "== policies"
build/service/ctl/mtpctl policy check policies/
build/service/ctl/mtpctl policy test policies/

echo "== tests (ASan + UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j2 --timeout 600)

echo "== tests (Release)"
(cd build && ctest --output-on-failure -j2 --timeout 600)
