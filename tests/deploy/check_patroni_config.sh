#!/bin/sh
# Every Patroni example deploy/patroni/*.yml is valid YAML (python3-yaml, which Patroni itself
# depends on) and passes `patroni --validate-config` (Debian package patroni, installed by
# scripts/setup.sh): keys, value types, listen addresses, bin_dir holding PostgreSQL 15's
# programs. Passwords come from the environment in production, as Patroni reads them; dummy ones
# stand in here. Fails when patroni is missing: a check that cannot run is not a pass.
set -eu
root=${1:?usage: check_patroni_config.sh SOURCE_DIR}
command -v patroni >/dev/null || { echo "patroni not found (apt-get install patroni)"; exit 1; }
files=$(ls "$root"/deploy/patroni/*.yml)
[ -n "$files" ] || { echo "no deploy/patroni/*.yml found"; exit 1; }
for f in $files; do
  python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f"
  PATRONI_RESTAPI_PASSWORD=check PATRONI_SUPERUSER_PASSWORD=check \
    PATRONI_REPLICATION_PASSWORD=check PATRONI_REWIND_PASSWORD=check \
    patroni --validate-config "$f"
  echo "ok: $f"
done
