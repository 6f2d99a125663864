#!/usr/bin/env bash
# Where the p99 goes: drives one case of bench/cases.sh with wrk, then reads the service's event
# loop lag (utxoiq_event_loop_lag_seconds on /metrics: how late a 25 ms timer ran) and its
# "event loop held" log lines, each of which splits a stall of 100 ms or more into the time the
# loop thread ran (on_cpu_ms: our code held it) and the time it waited for a CPU
# (waiting_for_cpu_ms: other processes had the cores). Prints wrk's figures, the lag
# distribution and the stalls' totals.
#   usage: bench/loop_lag.sh [--case feedback_stats] [--duration 20s] [--connections 32]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case_name=feedback_stats duration=20s connections=32
while [ $# -gt 0 ]; do
  case $1 in
    --case) case_name=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
source "$root/bench/cases.sh"
lua=""
"case_$case_name" "$base" "$work"
wrk_script=${lua:-$root/bench/report.lua}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t 1 -c "$connections" -d "$duration" --latency -s "$wrk_script" "$base$path" | grep -E 'Requests/sec|99%|50%'
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
curl -fs "$base/metrics" | python3 -c '
import sys
buckets, count = [], 0
for line in sys.stdin:
    if line.startswith("utxoiq_event_loop_lag_seconds_bucket"):
        le = line.split("le=\"")[1].split("\"")[0]
        buckets.append((le, float(line.split()[-1])))
    elif line.startswith("utxoiq_event_loop_lag_seconds_count"):
        count = float(line.split()[-1])
print(f"loop ticks: {count:.0f}")
for le, n in buckets:
    if le in ("0.001", "0.01", "0.05", "0.1", "0.25"):
        print(f"  late by more than {float(le)*1000:g} ms: {100 * (count - n) / max(count, 1):.2f}%")
'
grep '"event loop held"' "$work/serve.log" | python3 -c '
import json, sys
rows = [json.loads(line) for line in sys.stdin]
print(f"stalls logged (>= 100 ms, at most 1/s): {len(rows)}")
if rows:
    lag = sum(r["lag_ms"] for r in rows)
    cpu = sum(r["on_cpu_ms"] for r in rows)
    wait = sum(r["waiting_for_cpu_ms"] for r in rows)
    print(f"  lag {lag:.0f} ms in all; loop thread on a CPU {cpu:.0f} ms, waiting for a CPU {wait:.0f} ms")
    longest = max(r["lag_ms"] for r in rows)
    print(f"  longest: {longest:.0f} ms")
'
