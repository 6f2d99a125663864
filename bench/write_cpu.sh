#!/usr/bin/env bash
# CPU per write of POST /api/v1/feedback/rate (the feedback_rate case of bench/run.sh): runs the
# case once with wrk and reads the CPU time (utime + stime, /proc/PID/stat) of the service, of
# PostgreSQL (postmaster and its children) and of the service's other children (Redis) before and
# after; divides by the rows written (each request of the case inserts one record). One line:
#   requests/s p50_ms p99_ms writes service_us_per_write postgres_us_per_write redis_us_per_write
# UTXOIQ_BIN picks the binary (bench/service.sh), so two builds can be compared in one session.
#   usage: bench/write_cpu.sh [--duration 10s] [--connections 32]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=10s connections=32
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
source "$root/bench/cases.sh"
postmaster=$(sed -n 1p "$work/var/postgres/postmaster.pid")
# Summed utime + stime, in clock ticks, of the given processes (those gone are skipped).
ticks() {
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
others() { pgrep -P "$pid" | grep -vx "$postmaster" || true; }
sample() { echo "$(ticks "$pid") $(ticks "$postmaster" $(pgrep -P "$postmaster")) $(ticks $(others))"; }
count() {
  psql -h 127.0.0.1 -p "$pgport" -U postgres -d utxoiq -Atc "SELECT count(*) FROM insight_feedback"
}
case_feedback_rate "$base" "$work"
rows0=$(count)
read -r svc0 pg0 other0 <<<"$(sample)"
line=$(wrk -t 1 -c "$connections" -d "$duration" --latency -s "$lua" "$base$path" | grep '^REPORT')
read -r svc1 pg1 other1 <<<"$(sample)"
writes=$(($(count) - rows0))
read -r _ rps p50 p99 errors <<<"$line"
hz=$(getconf CLK_TCK)
per_write() { awk -v t="$1" -v n="$writes" -v hz="$hz" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }'; }
echo "requests/s=$rps p50_ms=$p50 p99_ms=$p99 errors=$errors writes=$writes" \
  "service_us=$(per_write $((svc1 - svc0))) postgres_us=$(per_write $((pg1 - pg0)))" \
  "redis_us=$(per_write $((other1 - other0)))"
