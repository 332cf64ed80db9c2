#!/usr/bin/env bash
# Installs what is missing, builds, and starts mtpd in the foreground with a demo tenant on
# SQLite (mtp.db in the repository root): it prints the URL, one login per built-in role and
# a curl example. Ctrl-C (or SIGTERM) stops it cleanly.
#
#   scripts/run.sh                         # http://127.0.0.1:8080
#   MTP_LISTEN=127.0.0.1:9090 scripts/run.sh
#
# The passwords are printed only by the start that creates the demo (they are stored hashed):
# remove mtp.db to get a fresh demo with new ones. Every decision is written to decisions.log
# (JSON lines), for `mtpctl policy impact --log decisions.log ...` (docs/policies.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DMTP_BUILD_TESTS=OFF
exec build/service/main/mtpd --demo \
  --db "sqlite:mtp.db" \
  --listen "${MTP_LISTEN:-127.0.0.1:8080}" \
  --policies policies/builtin \
  --jwt-key-file mtp-jwt.key \
  --decision-log decisions.log
