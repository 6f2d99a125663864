#!/usr/bin/env bash
# The service on its embedded primary with REPLICAS streaming replicas (`serve
# --embedded-replicas`, default 2), for the read-routing benchmarks: sourced like bench/service.sh
# (it sources that one), or run with a command to run against it.
# Sets, besides what service.sh sets: replica_ports (array), replica_dirs (array), and waits until
# every replica has replayed all the primary has written, so a benchmark starts from caught-up
# replicas. Extra serve flags: UTXOIQ_SERVE_ARGS, as for service.sh.
# Usage: bench/replica_cluster.sh [COMMAND ARGS...]   (COMMAND sees BASE, PGPORT, REPLICA_PORTS)
#        source bench/replica_cluster.sh              (from another bench script; needs $root)
set -euo pipefail
root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
replicas=${REPLICAS:-2}
UTXOIQ_SERVE_ARGS="${UTXOIQ_SERVE_ARGS:-} --embedded-replicas $replicas"
READY_TRIES=${READY_TRIES:-360}  # each replica is a pg_basebackup first: allow 3 minutes
# shellcheck source=bench/service.sh
source "$root/bench/service.sh"

replica_ports=()
replica_dirs=()
for i in $(seq 1 "$replicas"); do
  replica_dirs+=("$work/var/replica-$i")
  replica_ports+=("$(sed -n 4p "$work/var/replica-$i/postmaster.pid")")
done
lsn=$(/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$pgport" -U postgres -d utxoiq -qAt \
  -c "SELECT pg_current_wal_lsn()")
for p in "${replica_ports[@]}"; do
  for _ in $(seq 1 600); do
    caught_up=$(/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$p" -U postgres -d utxoiq -qAt \
      -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")
    [ "$caught_up" = t ] && break
    sleep 0.1
  done
  [ "$caught_up" = t ] || { echo "replica on port $p did not replay $lsn"; exit 1; }
done
echo "service $base; primary port $pgport; replica ports ${replica_ports[*]} (replayed $lsn)" >&2

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  BASE=$base PGPORT=$pgport REPLICA_PORTS="${replica_ports[*]}" "$@"
fi
