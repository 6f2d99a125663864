#!/usr/bin/env bash
# Load benchmark: starts a Release build of the service on its own embedded PostgreSQL and Redis
# (a fresh data directory), drives each case with wrk for a fixed time in ONE run, and prints
# requests/s and latency percentiles per case, so every endpoint is compared with /healthz measured
# on the same machine at the same moment.
#   usage: bench/run.sh [--duration 10s] [--connections 32] [--threads 1] [--cases "healthz readyz"]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=10s connections=32 threads=1 cases="healthz readyz feedback_stats feedback_zipf backfill_status feedback_rate"
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
source "$root/bench/cases.sh"
printf '%-28s %12s %10s %10s %10s\n' case requests/s p50_ms p99_ms errors
for c in $cases; do
  "case_$c" "$base" "$work"   # sets: path, script (optional), setup done
  wrk_args=(-t "$threads" -c "$connections" -d "$duration" --latency -s "$root/bench/report.lua")
  [ -n "${lua:-}" ] && wrk_args=(-t "$threads" -c "$connections" -d "$duration" --latency -s "$lua")
  out=$(wrk "${wrk_args[@]}" "$base$path" 2>&1)
  line=$(echo "$out" | grep '^REPORT' || true)
  if [ -z "$line" ]; then echo "$out"; exit 1; fi
  read -r _ rps p50 p99 errors <<<"$line"
  printf '%-28s %12s %10s %10s %10s\n' "$c" "$rps" "$p50" "$p99" "$errors"
  if declare -f "after_$c" >/dev/null; then "after_$c" "$base"; fi
  unset lua
done
