#!/usr/bin/env bash
# Overhead of query insight (issue 11) on the requests that run SQL: one binary, its statement
# observer off (`serve --query-insight off`) and on, alternating (round 1: off then on; round 2:
# on then off, and so on), each side a fresh service on its own embedded PostgreSQL and Redis.
# Cases: backfill_status (uncached read: one SELECT per request) and feedback_rate (write: one
# upsert). The cached read runs no SQL, so the observer is not on its path.
#   usage: bench/insight_overhead.sh [BINARY] [--duration 10s] [--rounds 2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/release/utxoiq-store
[ $# -gt 0 ] && [ "${1#--}" = "$1" ] && { bin=$1; shift; }
duration=10s rounds=2
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cases="backfill_status feedback_rate"
for round in $(seq 1 "$rounds"); do
  order="off on"
  [ $((round % 2)) -eq 0 ] && order="on off"
  for insight in $order; do
    echo "== round $round, --query-insight $insight: $bin"
    UTXOIQ_BIN=$bin UTXOIQ_SERVE_ARGS="--query-insight $insight" \
      "$root/bench/run.sh" --duration "$duration" --cases "$cases"
  done
done
