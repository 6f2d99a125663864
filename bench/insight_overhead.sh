#!/usr/bin/env bash
# Overhead of query insight (issue 11): the same load cases against a binary without it (BEFORE,
# e.g. a build of the commit this branch started from) and one with it (AFTER, this build), one
# run each, one after the other on the same machine. Cases: feedback_stats (cached read: runs no
# SQL), backfill_status (uncached read), feedback_rate (write).
#   usage: bench/insight_overhead.sh BEFORE_BINARY [AFTER_BINARY] [--duration 10s]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before=${1:?usage: insight_overhead.sh BEFORE_BINARY [AFTER_BINARY] [--duration 10s]}
after=${2:-$root/build/release/utxoiq-store}
duration=10s
[ "${3:-}" = "--duration" ] && duration=${4:?}
cases="feedback_stats backfill_status feedback_rate"
for side in before after; do
  bin=$before
  [ "$side" = after ] && bin=$after
  echo "== $side: $bin"
  UTXOIQ_BIN=$bin "$root/bench/run.sh" --duration "$duration" --cases "$cases"
done
