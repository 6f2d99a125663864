#!/usr/bin/env bash
# CPU profile of the service under one load case: starts the service (bench/service.sh), prepares
# the case (bench/cases.sh), records `perf record -g` of the service process while wrk drives it,
# and prints the hottest symbols (self and children) plus `perf stat` counters of the service, so
# the CPU of a request is seen where it goes, not guessed.
#   usage: bench/profile.sh [--duration 10s] [--connections 32] [--case feedback_stats] [--out DIR]
#          [--mallocs]
# Needs perf (Debian linux-perf) and kernel.perf_event_paranoid <= 2 (own processes only).
# --mallocs (root): records every libc malloc call instead of CPU samples (a uprobe, DWARF call
# graphs), and prints the callers that allocate, so the allocations of a request are counted
# where they happen (bench/cpu_per_request.sh --mallocs gives the count per request).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=10s connections=32 case_name=feedback_stats out="" mallocs=""
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --case) case_name=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --mallocs) mallocs=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
source "$root/bench/cases.sh"
out=${out:-$work/profile}
mkdir -p "$out"
"case_$case_name" "$base" "$work"
wrk_script=${lua:-$root/bench/report.lua}
if [ -n "$mallocs" ]; then
  libc=$(ldconfig -p | awk '/libc\.so\.6 / { print $NF; exit }')
  perf probe -q -x "$libc" malloc 2>/dev/null || true  # exists already after the first run
  record=(-e probe_libc:malloc --call-graph dwarf,16384)
else
  record=(-g -F 999)
fi
perf record -q "${record[@]}" -p "$pid" -o "$out/perf.data" 2>/dev/null &
perf_pid=$!
perf stat -e task-clock,context-switches,page-faults -p "$pid" -o "$out/stat.txt" &
stat_pid=$!
sleep 0.5
wrk -t 1 -c "$connections" -d "$duration" --latency -s "$wrk_script" "$base$path" | grep '^REPORT'
kill -INT "$perf_pid" "$stat_pid"
wait "$perf_pid" "$stat_pid" 2>/dev/null || true
cat "$out/stat.txt"
if [ -n "$mallocs" ]; then
  # Each malloc call with the frames that led to it, by share of all calls.
  perf report -i "$out/perf.data" --no-children --stdio --percent-limit 0.5 \
    -g caller,0.5,callee,function,percent --max-stack 12 2>/dev/null | grep -v '^#' | grep -v '^$' | head -300
else
  perf report -i "$out/perf.data" --no-children --stdio --percent-limit 0.8 -g none 2>/dev/null |
    grep -v '^#' | grep -v '^$' | head -40
fi
echo "perf data: $out/perf.data"
