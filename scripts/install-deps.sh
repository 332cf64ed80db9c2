#!/usr/bin/env bash
# Installs the Debian packages MTP builds, runs and tests with; skips what is already there.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git python3
  libpistache-dev libsoci-dev libboost-dev libpq-dev libsqlite3-dev
  libcpp-jwt-dev libssl-dev libre2-dev liboath-dev libsodium-dev
  nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libcurl4-openssl-dev
  libpwquality-dev cracklib-runtime
  clang-16 libclang-rt-16-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libxxhash-dev
  postgresql-15 postgresql-client-15 curl wrk ccache
  chromium
  # The cluster on loopback (scripts/cluster.sh) and its test: HA PostgreSQL managed by
  # pg_auto_failover, HAProxy in front of the mtpd replicas.
  postgresql-15-auto-failover pg-auto-failover-cli haproxy
)
# The web UI (web/) builds with Node.js and npm: Debian's when none is installed (a
# NodeSource nodejs, which bundles npm, counts). Vite needs Node 20.19 or newer.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
node_check() {
  if command -v node >/dev/null 2>&1; then
    local major
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    [ "$major" -ge 20 ] || echo "install-deps: Node.js $(node --version) is too old for the web UI (needs 20.19+)" >&2
  fi
}
[ ${#missing[@]} -eq 0 ] && { node_check; exit 0; }

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
node_check
