#!/usr/bin/env bash
# Where the CPU of a request goes across the processes that serve it: the service, its embedded
# PostgreSQL (every backend) and its Redis, each as CPU µs per request over one wrk run of a case.
# The service's own CPU (bench/cpu_per_request.sh) misses what a cache miss or a write costs the
# database and Redis on the same cores; this shows it. Processes are the service's descendants,
# so other work on the machine is not counted. wrk's own CPU per request is shown too, and the sum
# of all four: on a machine where the load generator shares the cores, the rate of a case cannot
# exceed cores / that sum.
#   usage: [UTXOIQ_BIN=...] bench/cpu_split.sh [--duration 20s] [--connections 32]
#          [--cases "healthz feedback_zipf"]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=20s connections=32 cases="healthz feedback_zipf"
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
descendants() {
  local all=$1 kid
  for kid in $(pgrep -P "$1" || true); do all="$all $(descendants "$kid")"; done
  echo "$all"
}
# "command ticks" for each process of the service's tree, summed by command name.
snapshot() {
  local p
  for p in $(descendants "$pid"); do
    awk '{ gsub(/[()]/, "", $2); print $2, $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true
  done | awk '{ t[$1] += $2 } END { for (k in t) print k, t[k] }' | sort
}
printf '%-16s %10s %14s %14s %14s %10s %10s\n' case requests/s service_us/req postgres_us/req \
  redis_us/req wrk_us/req total_us
for c in $cases; do
  unset lua
  "case_$c" "$base" "$work"
  script=${lua:-$root/bench/report.lua}
  snapshot >"$work/before"
  # bash's `time` gives wrk's user and system CPU seconds.
  out=$( (TIMEFORMAT='WRKCPU %U %S'; time wrk -t 1 -c "$connections" -d "$duration" -s "$script" \
    "$base$path") 2>&1)
  snapshot >"$work/after"
  n=$(echo "$out" | awk '/requests in/ { print $1 }')
  rps=$(echo "$out" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
  per() {
    join -a 2 -e 0 -o 2.1,1.2,2.2 "$work/before" "$work/after" |
      awk -v n="$n" -v hz="$(getconf CLK_TCK)" -v name="$1" \
        '$1 ~ name { t += $3 - $2 } END { printf "%.2f", t / hz * 1e6 / n }'
  }
  wrk_us=$(echo "$out" | awk -v n="$n" '/^WRKCPU/ { printf "%.2f", ($2 + $3) * 1e6 / n }')
  service_us=$(per utxoiq) postgres_us=$(per postgres) redis_us=$(per redis)
  total_us=$(awk -v a="$service_us" -v b="$postgres_us" -v c="$redis_us" -v d="$wrk_us" \
    'BEGIN { printf "%.2f", a + b + c + d }')
  printf '%-16s %10s %14s %14s %14s %10s %10s\n' "$c" "$rps" "$service_us" "$postgres_us" \
    "$redis_us" "$wrk_us" "$total_us"
  # Failed requests are counted in the figures too: show them.
  echo "$out" | grep -E 'Non-2xx|Socket errors' | sed 's/^ */  /' || true
  if declare -f "after_$c" >/dev/null; then "after_$c" "$base"; fi
done
