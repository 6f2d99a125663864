#!/usr/bin/env bash
# Installs every Debian package utxoiq-store needs to build, run, test and benchmark (python3 is for
# the benchmark scripts; libjs-chart.js is embedded in the dashboard; chromium, chromium-driver and
# python3-selenium run its browser test; prometheus gives promtool for the alert rule tests), and the
# test-only OpenAPI 3.1 validator from npm (pinned in tests/tools/openapi/package-lock.json; Debian
# has none that knows 3.1).
# Runs apt-get only when something is missing, so it is cheap to call before every build.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format mold
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpq-dev libhiredis-dev libpg-query-dev
  libspdlog-dev libfmt-dev libcli11-dev libzstd-dev libssl-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  postgresql-15 postgresql-client-15 postgresql-15-hypopg redis-server wrk curl python3 nodejs
  prometheus
  libjs-chart.js chromium chromium-driver python3-selenium
  clang libclang-rt-14-dev
  patroni
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs comes without npm; NodeSource's brings its own.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

validator="$(dirname "$0")/../tests/tools/openapi"
if [ ! -d "$validator/node_modules" ]; then
  echo "setup: installing the OpenAPI validator (npm ci in tests/tools/openapi)"
  npm ci --prefix "$validator" --no-audit --no-fund
fi
