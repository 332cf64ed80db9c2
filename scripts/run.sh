#!/usr/bin/env bash
# Installs what is missing, builds, and runs MTP's main job on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
ctl=build/service/ctl/mtpctl
echo "== the shipped policies"
$ctl policy check policies/
$ctl policy test policies/
echo "== one decision: a help desk admin unlocks a user in a granted org"
$ctl authorize --policies policies/ --directory docs/examples/directory.json \
  --request docs/examples/request.json --explain
