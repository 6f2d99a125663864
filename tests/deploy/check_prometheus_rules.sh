#!/bin/sh
# Every rules file deploy/prometheus/*.yml passes `promtool check rules`, and every unit test file
# deploy/prometheus/tests/*.yml passes `promtool test rules` (rules files of other areas, e.g.
# retention and backups, are picked up by the globs). Fails when promtool (Debian package
# prometheus, installed by scripts/setup.sh) is missing: a check that cannot run is not a pass.
set -eu
root=${1:?usage: check_prometheus_rules.sh SOURCE_DIR}
command -v promtool >/dev/null || { echo "promtool not found (apt-get install prometheus)"; exit 1; }
rules=$(ls "$root"/deploy/prometheus/*.yml)
tests=$(ls "$root"/deploy/prometheus/tests/*.yml)
[ -n "$rules" ] && [ -n "$tests" ] || { echo "no rules or no rule tests found"; exit 1; }
# shellcheck disable=SC2086
promtool check rules $rules
cd "$root/deploy/prometheus/tests"
for t in $tests; do promtool test rules "$(basename "$t")"; done
