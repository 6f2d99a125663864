#!/usr/bin/env bash
# Issue 12: what routing reads over replicas costs on one machine. For REPLICAS_LIST (default
# "0 2") embedded replicas in turn, a fresh service (bench/service.sh, or bench/replica_cluster.sh
# when replicas > 0) gets 200 ratings of one insight, then:
#  - reads: GET /api/v1/feedback?insight_id=...&limit=20 (uncached: every request is a database
#    read) by the admin key, which wrote nothing since its replicas replayed its token, so with
#    replicas every read passes the router's read-your-writes check and may go to a replica;
#  - writes: POST /api/v1/feedback/rate (a new rating each), which with replicas also records the
#    key's token (pg_current_wal_insert_lsn() on the primary) and PUBLISHes it to Redis before
#    answering.
# With replicas it waits until utxoiq_db_ryw_tokens_complete is 1 (tokens shared, not blind mode),
# prints where the reads went (utxoiq_db_reads_total), then pauses replay on every replica
# (pg_wal_replay_pause()) and waits until all are "lagging": the same reads and writes again, now
# each read routed (middleware, token check, router) but run on the primary, with replicas that
# only receive WAL. That row against the 0-replica one is the router's own cost; the serving row
# shows what replicas sharing the same cores do to the figures. The last column is the service
# process's own CPU per request (svc_cpu_us: the router's cost, less exposed than throughput to
# what else runs on the machine) and the PostgreSQL servers' (db_cpu_us, primary and replicas:
# the work replicas on cores of their own would take off this machine).
# Usage: bench/replica_reads.sh [--duration 10s] [--connections 16]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=10s connections=16
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

one_config() {  # $1: replicas
  if [ "$1" -gt 0 ]; then
    REPLICAS=$1 source "$root/bench/replica_cluster.sh"
  else
    source "$root/bench/service.sh"
  fi
  local auth="Authorization: Bearer $UTXOIQ_BOOTSTRAP_ADMIN_KEY" i
  for i in $(seq 1 200); do
    curl -fs -o /dev/null -X POST -H "$auth" -H 'Content-Type: application/json' \
      "$base/api/v1/feedback/rate" \
      -d "{\"insight_id\":\"bench-list\",\"user_id\":\"seed-$i\",\"rating\":$((i % 5 + 1))}"
  done
  if [ "$1" -gt 0 ]; then
    for _ in $(seq 1 60); do
      curl -fs -H "$auth" "$base/metrics" | grep -Eq '^utxoiq_db_ryw_tokens_complete 1(\.0+)?$' && break
      sleep 0.5
    done
    curl -fs -H "$auth" "$base/metrics" | grep '^utxoiq_db_ryw_tokens_complete'
  fi
  sleep 2  # lag polls see the replicas past the seeding writes
  cat "$root/bench/auth_header.lua" "$root/bench/report.lua" >"$work/get.lua"
  cat "$root/bench/feedback_rate.lua" "$root/bench/report.lua" >"$work/post.lua"
  local label=$1
  [ "$1" -gt 0 ] && label="$1 serving"
  measure "$label" "$auth"
  [ "$1" -gt 0 ] || return 0
  local p state
  for p in "${replica_ports[@]}"; do
    /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$p" -U postgres -d utxoiq -qAt \
      -c "SELECT pg_wal_replay_pause()" >/dev/null
  done
  for _ in $(seq 1 120); do  # a write now and then, so that the lag grows past the limit
    curl -fs -o /dev/null -X POST -H "$auth" -H 'Content-Type: application/json' \
      "$base/api/v1/feedback/rate" -d '{"insight_id":"bench-lag","user_id":"lag","rating":1}'
    state=$(curl -fs "$base/readyz" | python3 -c 'import json,sys
print(" ".join(r["state"] for r in json.load(sys.stdin)["database"]["replicas"]))')
    [ "$state" = "lagging lagging" ] && break
    sleep 0.25
  done
  echo "    replicas paused: $state" >&2
  measure "$1 paused" "$auth"
}

# CPU seconds of the service process (not PostgreSQL's), as bench/cpu_per_request.sh reads it.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
# CPU ticks of the embedded PostgreSQL servers (primary and replicas): each postmaster and its
# children now (the pools' backends live through a run).
db_ticks() {
  local total=0 f pm p t
  for f in "$work"/var/postgres/postmaster.pid "$work"/var/replica-*/postmaster.pid; do
    [ -f "$f" ] || continue
    pm=$(head -1 "$f")
    for p in $pm $(ps --ppid "$pm" -o pid=); do
      t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
      total=$((total + t))
    done
  done
  echo "$total"
}
# Microseconds of CPU per request: $1 ticks over $2 requests/s for the run's duration.
per_request() {
  awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v r="$2" -v d="${duration%s}" \
    'BEGIN { printf "%.1f", t / hz * 1e6 / (r * d) }'
}

measure() {  # $1: label, $2: auth header
  local line before after db_before db_after
  before=$(cpu_ticks) db_before=$(db_ticks)
  line=$(wrk -t 1 -c "$connections" -d "$duration" --latency -s "$work/get.lua" \
    "$base/api/v1/feedback?insight_id=bench-list&limit=20" | grep '^REPORT')
  after=$(cpu_ticks) db_after=$(db_ticks)
  read -r _ rps p50 p99 errors <<<"$line"
  printf '%-12s %-8s %12s %10s %10s %8s %10s %10s\n' "$1" reads "$rps" "$p50" "$p99" "$errors" \
    "$(per_request $((after - before)) "$rps")" "$(per_request $((db_after - db_before)) "$rps")"
  curl -fs -H "$2" "$base/metrics" | grep '^utxoiq_db_reads_total' | sed 's/^/    /' || true
  before=$(cpu_ticks) db_before=$(db_ticks)
  line=$(wrk -t 1 -c "$connections" -d "$duration" --latency -s "$work/post.lua" \
    "$base/api/v1/feedback/rate" | grep '^REPORT')
  after=$(cpu_ticks) db_after=$(db_ticks)
  read -r _ rps p50 p99 errors <<<"$line"
  printf '%-12s %-8s %12s %10s %10s %8s %10s %10s\n' "$1" writes "$rps" "$p50" "$p99" "$errors" \
    "$(per_request $((after - before)) "$rps")" "$(per_request $((db_after - db_before)) "$rps")"
  curl -fs -H "$2" "$base/metrics" | grep '^utxoiq_db_ryw_tokens_published_total' |
    sed 's/^/    /' || true
}

echo "wrk -t 1 -c $connections -d $duration; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %-8s %12s %10s %10s %8s %10s %10s\n' replicas kind requests/s p50_ms p99_ms errors \
  svc_cpu_us db_cpu_us
for replicas in ${REPLICAS_LIST:-0 2}; do
  (one_config "$replicas")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
