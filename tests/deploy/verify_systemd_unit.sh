#!/bin/sh
# deploy/systemd/utxoiq-store.service passes `systemd-analyze verify` with no complaint at all
# (verify exits 0 on directives it ignores, so any output fails the check). The unit names the
# installed path of the binary; the copy verified here points at the binary just built.
set -eu
root=${1:?usage: verify_systemd_unit.sh SOURCE_DIR BINARY}
binary=${2:?usage: verify_systemd_unit.sh SOURCE_DIR BINARY}
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#/usr/local/bin/utxoiq-store#$binary#" "$root/deploy/systemd/utxoiq-store.service" \
  >"$dir/utxoiq-store.service"
out=$(systemd-analyze verify "$dir/utxoiq-store.service" 2>&1) || { echo "$out"; exit 1; }
if [ -n "$out" ]; then echo "$out"; exit 1; fi
echo "utxoiq-store.service verified"
