#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS on its seed corpus (tests/fuzz/corpus/TARGET, read only;
# new inputs go to a scratch directory). A crash leaves its input in build/fuzz/artifacts/ and
# fails the run; turn it into a regression test (a seed file here plus a unit test).
#   tests/fuzz/run.sh fuzz_bodies 10        # needs `make fuzz-build` (or the cmake lines below)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:?usage: run.sh TARGET SECONDS}
seconds=${2:?usage: run.sh TARGET SECONDS}
build=${UTXOIQ_FUZZ_DIR:-$root/build/fuzz}
binary="$build/tests/fuzz/$target"
[[ -x $binary ]] || { echo "run.sh: $binary not built (make fuzz-build)" >&2; exit 2; }
scratch=$(mktemp -d /tmp/utxoiq-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build/artifacts"
# ASan's leak check stays on; UBSan findings abort (the build uses -fno-sanitize-recover).
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$build/artifacts/$target-" "$scratch" "$root/tests/fuzz/corpus/$target"
