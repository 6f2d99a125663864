#!/usr/bin/env bash
# Installs every Debian package utxoiq-store needs to build, run, test and benchmark (python3 is for
# the benchmark scripts only).
# Runs apt-get only when something is missing, so it is cheap to call before every build.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpq-dev libhiredis-dev libpg-query-dev
  libspdlog-dev libfmt-dev libcli11-dev libzstd-dev libssl-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  postgresql-15 postgresql-client-15 postgresql-15-hypopg redis-server wrk curl python3
  prometheus
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
