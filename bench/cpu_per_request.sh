#!/usr/bin/env bash
# Service CPU per request, per case, in ONE service run: for each case, the utime+stime of the
# service process (/proc/PID/stat) over the wrk run divided by the requests wrk completed. On a
# shared machine the requests/s of a run move with the neighbours' load; the CPU a request costs in
# the service moves much less, so it is the figure to compare binaries and cases with.
#   usage: [UTXOIQ_BIN=...] bench/cpu_per_request.sh [--duration 8s] [--connections 32]
#          [--cases "healthz feedback_stats"]
# Prints: case, requests/s, p99 ms, service CPU µs per request, and that CPU over /healthz's
# (when healthz is the first case).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=8s connections=32 cases="healthz feedback_stats"
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
source "$root/bench/cases.sh"
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
# wrk's reporter for this script: requests completed, requests/s, p99 ms.
counter="$work/count.lua"
cat >"$counter" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("COUNT %d %.0f %.3f %d\n", summary.requests,
      summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000,
      summary.errors.status + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
printf '%-16s %10s %9s %12s %9s\n' case requests/s p99_ms cpu_us/req vs_healthz
healthz_us=""
for c in $cases; do
  unset lua
  "case_$c" "$base" "$work"
  script="$counter"
  if [ -n "${lua:-}" ]; then
    # The case's request script with this reporter in place of report.lua's.
    cat "$root/bench/$(basename "$lua")" "$counter" >"$work/case_$c.lua"
    script="$work/case_$c.lua"
  fi
  before=$(cpu_ticks)
  line=$(wrk -t 1 -c "$connections" -d "$duration" -s "$script" "$base$path" | grep '^COUNT')
  after=$(cpu_ticks)
  read -r _ n rps p99 errors <<<"$line"
  us=$(awk -v t=$((after - before)) -v hz="$ticks" -v n="$n" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  [ -z "$healthz_us" ] && [ "$c" = healthz ] && healthz_us=$us
  ratio=$([ -n "$healthz_us" ] && awk -v a="$us" -v b="$healthz_us" 'BEGIN { printf "%.2f", a / b }' || echo -)
  printf '%-16s %10s %9s %12s %9s' "$c" "$rps" "$p99" "$us" "$ratio"
  [ "$errors" != 0 ] && printf '  (%s errors)' "$errors"
  printf '\n'
  if declare -f "after_$c" >/dev/null; then "after_$c" "$base"; fi
done
