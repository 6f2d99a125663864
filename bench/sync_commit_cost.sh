#!/usr/bin/env bash
# What synchronous replication costs a commit (docs/replication.md): pgbench inserting one row per
# transaction on the embedded primary of bench/replica_cluster.sh (2 replicas, one machine,
# loopback), first asynchronous, then with synchronous_standby_names = 'ANY 1 (both replicas)' and
# synchronous_commit = on, then remote_apply. CLIENTS connections, SECONDS_PER_RUN each.
# Usage: bench/sync_commit_cost.sh   (needs a Release build; prints figures for docs/benchmarks.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
clients=${CLIENTS:-4}
seconds=${SECONDS_PER_RUN:-15}
# shellcheck source=bench/replica_cluster.sh
source "$root/bench/replica_cluster.sh"
bin_dir=/usr/lib/postgresql/15/bin
psql=("$bin_dir/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d utxoiq -qAt)
"${psql[@]}" -c "CREATE TABLE bench_commit (id bigserial PRIMARY KEY, v int)"
echo "INSERT INTO bench_commit (v) VALUES (1);" >"$work/insert.sql"

run() {  # $1: label, $2: synchronous_standby_names, $3: synchronous_commit
  "${psql[@]}" -c "ALTER SYSTEM SET synchronous_standby_names = '$2'" \
    -c "ALTER SYSTEM SET synchronous_commit = '$3'" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  local out
  out=$("$bin_dir/pgbench" -h 127.0.0.1 -p "$pgport" -U postgres -n -c "$clients" -j 1 \
    -T "$seconds" -f "$work/insert.sql" -r utxoiq 2>/dev/null)
  printf '%-44s %s tps, latency average %s ms\n' "$1" \
    "$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')" \
    "$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')"
}
echo "pgbench, $clients clients, ${seconds} s each, one INSERT per transaction:"
run "asynchronous (synchronous_standby_names '')" "" "on"
run "synchronous_commit on, ANY 1 of 2 replicas" "ANY 1 (utxoiq_replica_1, utxoiq_replica_2)" "on"
run "synchronous_commit remote_apply, ANY 1 of 2" "ANY 1 (utxoiq_replica_1, utxoiq_replica_2)" "remote_apply"
run "asynchronous again" "" "on"
