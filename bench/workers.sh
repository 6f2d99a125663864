#!/usr/bin/env bash
# `serve --workers N` (issue 15) against other counts, one fresh service per entry of --workers
# (bench/service.sh: embedded PostgreSQL and Redis in a temporary directory). The service, its
# workers, PostgreSQL and Redis are pinned to --service-cpus (taskset on the subshell that starts
# them; children inherit it), wrk to --wrk-cpu, so the load generator does not take the service's
# cores. Cases: healthz (the event loop's floor) and feedback_stats (an authenticated cached read,
# bench/cases.sh). The last column is /proc/loadavg's 1-minute figure after the row: on a shared
# machine, read only comparisons made at one load.
#   usage: bench/workers.sh [--workers "1 2 2 1"] [--service-cpus 0] [--wrk-cpu 1]
#                           [--duration 10s] [--connections 32]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
counts="1 2 2 1" service_cpus=0 wrk_cpu=1 duration=10s connections=32
while [ $# -gt 0 ]; do
  case $1 in
    --workers) counts=$2; shift 2 ;;
    --service-cpus) service_cpus=$2; shift 2 ;;
    --wrk-cpu) wrk_cpu=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
echo "service on CPUs $service_cpus, wrk on CPU $wrk_cpu: wrk -t1 -c$connections -d$duration"
printf '%-8s %-16s %12s %10s %10s %8s\n' workers case requests/s p99_ms errors load1
for n in $counts; do
  (
    taskset -p -c "$service_cpus" $BASHPID >/dev/null
    export UTXOIQ_WORKERS=$n
    source "$root/bench/service.sh"
    source "$root/bench/cases.sh"
    for c in healthz feedback_stats; do
      "case_$c" "$base" "$work"
      script=${lua:-$root/bench/report.lua}
      out=$(taskset -c "$wrk_cpu" wrk -t 1 -c "$connections" -d "$duration" --latency -s "$script" \
        "$base$path" 2>&1)
      line=$(echo "$out" | grep '^REPORT' || true)
      if [ -z "$line" ]; then echo "$out"; exit 1; fi
      read -r _ rps _ p99 errors <<<"$line"
      printf '%-8s %-16s %12s %10s %10s %8s\n' "$n" "$c" "$rps" "$p99" "$errors" \
        "$(cut -d' ' -f1 /proc/loadavg)"
      unset lua
    done
  )
done
