#!/usr/bin/env bash
# Service CPU per request, per case, in ONE service run: for each case, the utime+stime of the
# service process (/proc/PID/stat) over the wrk run divided by the requests wrk completed. On a
# shared machine the requests/s of a run move with the neighbours' load; the CPU a request costs in
# the service moves much less, so it is the figure to compare binaries and cases with.
#   usage: [UTXOIQ_BIN=...] bench/cpu_per_request.sh [--duration 8s] [--connections 32]
#          [--cases "healthz feedback_stats"] [--mallocs] [--warmup 10s]
# Prints: case, requests/s, p99 ms, service CPU µs per request, and that CPU over /healthz's
# (when healthz is the first case). With --mallocs (root: a uprobe on libc's malloc), a second
# 3 s run of each case counts the service's malloc calls per request (perf stat); the uprobe
# slows every malloc, so that run's rate and CPU are not reported. With --warmup, each case's
# script first runs that long unmeasured, so the measured run sees the steady state of a service
# that has been serving the workload (a warm cache) instead of its first seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=8s connections=32 cases="healthz feedback_stats" mallocs="" warmup=""
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --mallocs) mallocs=1; shift ;;
    --warmup) warmup=$2; shift 2 ;;
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
if [ -n "$mallocs" ]; then
  libc=$(ldconfig -p | awk '/libc\.so\.6 / { print $NF; exit }')
  perf probe -q -x "$libc" malloc 2>/dev/null || true  # exists already after the first run
fi
# Malloc calls of the service per request of the case's script `$1` over 3 s.
mallocs_per_request() {
  perf stat -x, -e probe_libc:malloc -p "$pid" -o "$work/mallocs.csv" &
  local perf_pid=$!
  sleep 0.5
  local line
  line=$(wrk -t 1 -c "$connections" -d 3s -s "$1" "$base$path" | grep '^COUNT')
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
  local calls
  calls=$(awk -F, '/probe_libc:malloc/ { print $1 }' "$work/mallocs.csv")
  read -r _ n _ <<<"$line"
  awk -v c="$calls" -v n="$n" 'BEGIN { printf "%.1f", c / n }'
}
printf '%-16s %10s %9s %12s %9s' case requests/s p99_ms cpu_us/req vs_healthz
[ -n "$mallocs" ] && printf ' %12s' mallocs/req
printf '\n'
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
  [ -z "$warmup" ] || wrk -t 1 -c "$connections" -d "$warmup" -s "$script" "$base$path" >/dev/null
  [ -z "$warmup" ] || ! declare -f "after_$c" >/dev/null || "case_$c" "$base" "$work"  # counters from here
  before=$(cpu_ticks)
  line=$(wrk -t 1 -c "$connections" -d "$duration" -s "$script" "$base$path" | grep '^COUNT')
  after=$(cpu_ticks)
  read -r _ n rps p99 errors <<<"$line"
  us=$(awk -v t=$((after - before)) -v hz="$ticks" -v n="$n" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  [ -z "$healthz_us" ] && [ "$c" = healthz ] && healthz_us=$us
  ratio=$([ -n "$healthz_us" ] && awk -v a="$us" -v b="$healthz_us" 'BEGIN { printf "%.2f", a / b }' || echo -)
  printf '%-16s %10s %9s %12s %9s' "$c" "$rps" "$p99" "$us" "$ratio"
  [ -n "$mallocs" ] && printf ' %12s' "$(mallocs_per_request "$script")"
  [ "$errors" != 0 ] && printf '  (%s errors)' "$errors"
  printf '\n'
  if declare -f "after_$c" >/dev/null; then "after_$c" "$base"; fi
done
