#!/usr/bin/env bash
# Metric ingest benchmark (issue 4): rows/s through POST /api/v1/monitoring/metrics/batch (wrk
# posting a prepared 10,000-point batch over several connections) beside `psql \copy` of the same
# rows into the same system_metrics table, in the same run, on the service's own embedded
# PostgreSQL (durable settings, as `serve` runs it). The API path also keeps the hourly rollups
# and the series catalogue in step; \copy writes only the raw rows. Row counts are checked in the
# table, not taken from the clients.
#   usage: bench/ingest.sh [--duration 20s] [--connections 4] [--rows 10000] [--copies 50]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=20s connections=4 rows=10000 copies=50
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --copies) copies=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
psql_cmd=(psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d utxoiq -v ON_ERROR_STOP=1)
count() { "${psql_cmd[@]}" -tAc "SELECT count(*) FROM system_metrics"; }

python3 "$root/bench/metrics_rows.py" --rows "$rows" --json "$work/batch.json" \
  --tsv "$work/rows1.tsv" "$work/rows2.tsv" --tsv-copies "$copies"
# The same number of rows again, split over as many files as the API run has connections.
parallel_files=()
for i in $(seq 1 "$connections"); do parallel_files+=("$work/part$i.tsv"); done
python3 "$root/bench/metrics_rows.py" --rows "$rows" --json "$work/unused.json" \
  --tsv "${parallel_files[@]}" --tsv-copies $(( (copies + connections - 1) / connections ))
echo "batch: $rows points, $(stat -c %s "$work/batch.json") bytes of JSON; \\copy: $((rows * copies)) rows"

copy_run() {
  local before after start end
  before=$(count)
  start=$(date +%s.%N)
  "${psql_cmd[@]}" -c "\\copy system_metrics (id, service_name, metric_type, metric_value, unit, \"timestamp\", metadata) FROM '$2'"
  end=$(date +%s.%N)
  after=$(count)
  python3 -c "print('%-34s %12.0f rows/s  (%d rows in %.2f s)' % ('$1', ($after-$before)/($end-$start), $after-$before, $end-$start))"
}

copy_parallel_run() {
  local before after start end copies=()
  before=$(count)
  start=$(date +%s.%N)
  for file in "${parallel_files[@]}"; do
    "${psql_cmd[@]}" -c "\\copy system_metrics (id, service_name, metric_type, metric_value, unit, \"timestamp\", metadata) FROM '$file'" &
    copies+=($!)
  done
  wait "${copies[@]}"  # not a bare wait: the service runs in the background too
  end=$(date +%s.%N)
  after=$(count)
  python3 -c "print('%-34s %12.0f rows/s  (%d rows in %.2f s)' % ('$1', ($after-$before)/($end-$start), $after-$before, $end-$start))"
}

api_run() {
  local before after out line
  before=$(count)
  # One warm-up batch (prepared statements, first partition pages).
  curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $UTXOIQ_BOOTSTRAP_ADMIN_KEY" --data-binary "@$work/batch.json" \
    "http://127.0.0.1:$port/api/v1/monitoring/metrics/batch"
  before=$(count)
  out=$(BATCH_FILE="$work/batch.json" BATCH_ROWS="$rows" wrk -t 1 -c "$connections" -d "$duration" \
    --latency -s "$root/bench/metrics_batch.lua" "http://127.0.0.1:$port/api/v1/monitoring/metrics/batch" 2>&1)
  line=$(echo "$out" | grep '^REPORT' || true)
  if [ -z "$line" ]; then echo "$out"; exit 1; fi
  sleep 2  # batches in flight when wrk stopped still commit
  after=$(count)
  read -r _ rps p50 p99 errors rows_per_s <<<"$line"
  printf '%-34s %12s rows/s  (%s batches/s, p50 %s ms, p99 %s ms, errors %s, %s rows in the table)\n' \
    "API batch, $connections connections" "$rows_per_s" "$rps" "$p50" "$p99" "$errors" "$((after - before))"
}

copy_run "psql \\copy (before the API run)" "$work/rows1.tsv"
copy_parallel_run "$connections x psql \\copy in parallel"
api_run
copy_run "psql \\copy (after the API run)" "$work/rows2.tsv"
