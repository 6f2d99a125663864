# Benchmark cases for bench/run.sh: case_NAME BASE WORKDIR sets `path` (and optionally `lua`, a wrk
# script that includes bench/report.lua's reporter) after preparing any data the case needs.
case_healthz() { path=/healthz; }
case_readyz() { path=/readyz; }
case_metrics() { path=/metrics; }

# Backfill and feedback (issue 3). Each concatenates its request script with report.lua's reporter.
bench_script() { cat "$root/bench/$1.lua" "$root/bench/report.lua" >"$2/$1.lua"; lua="$2/$1.lua"; }
bench_post() {
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer $UTXOIQ_BOOTSTRAP_ADMIN_KEY" \
    -H 'Content-Type: application/json' "$1" -d "$2"
}
case_feedback_rate() { path=/api/v1/feedback/rate; bench_script feedback_rate "$2"; }
# Metrics (issue 15): single points, one per request.
case_metric_point() { path=/api/v1/monitoring/metrics; bench_script metric_point "$2"; }
case_feedback_stats() {
  local i
  for i in $(seq 0 49); do
    bench_post "$1/api/v1/feedback/rate" "{\"insight_id\":\"stats-insight-$i\",\"user_id\":\"u$i\",\"rating\":$((i % 5 + 1))}"
    bench_post "$1/api/v1/feedback/flag" "{\"insight_id\":\"stats-insight-$i\",\"user_id\":\"v$i\",\"flag_type\":\"spam\"}"
  done
  path=/api/v1/feedback/stats; bench_script feedback_stats "$2"
}
# Backfill progress (issue 15): BENCH_PROGRESS_JOBS (default 64) running jobs, reported on in
# turn by bench/backfill_progress.lua with growing current_block.
case_backfill_progress() {
  local i
  export BENCH_BACKFILL_JOBS="$2/backfill_jobs.txt"
  : >"$BENCH_BACKFILL_JOBS"
  for i in $(seq 1 "${BENCH_PROGRESS_JOBS:-64}"); do
    bench_post_json "$1/api/v1/monitoring/backfill/start" '{"job_type":"blocks","start_block":0,"end_block":1000000000}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' >>"$BENCH_BACKFILL_JOBS"
  done
  path=/api/v1/monitoring/backfill/progress; bench_script backfill_progress "$2"
}
case_backfill_status() {
  local i
  for i in $(seq 1 50); do
    bench_post "$1/api/v1/monitoring/backfill/start" "{\"job_type\":\"blocks\",\"start_block\":0,\"end_block\":$((i * 1000))}"
  done
  path="/api/v1/monitoring/backfill/status?limit=1"; bench_script auth_header "$2"
}

# Cache (issue 5): the skewed read workload on feedback statistics; after the run, the hit rate of
# L1 and L2 together as the service counted it (GET /api/v1/monitoring/cache).
# The database first holds one rating for each of the 10,000 insights, analyzed, as a deployment
# that has been serving them does: the statements the service prepares on a fresh, empty table
# get plans for an empty table (a sequential scan of the statistics for every miss), which
# PostgreSQL replaces only after autovacuum's first ANALYZE, a minute later; a 30 s run of an
# empty database measures that minute, and the scans grow with the table during the run.
# BENCH_ZIPF_SEED=0 starts from the empty database instead.
case_feedback_zipf() {
  # Once per service (its work directory), however many times a script prepares the case.
  if [ "${BENCH_ZIPF_SEED:-1}" != 0 ] && [ "${zipf_seeded:-}" != "$2" ]; then
    psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d utxoiq -v ON_ERROR_STOP=1 -c "
      INSERT INTO insight_feedback (id, insight_id, user_id, rating)
      SELECT gen_random_uuid(), 'zipf-' || g, 'zipf-seed', 1 + g % 5 FROM generate_series(1, 10000) g
      ON CONFLICT (insight_id, user_id) DO NOTHING;
      ANALYZE insight_feedback; ANALYZE insight_feedback_stats;" >/dev/null
    zipf_seeded=$2
  fi
  export ZIPF_WRITE_SHARE=${BENCH_ZIPF_WRITE_SHARE:-0.01}
  path=/api/v1/feedback/stats; bench_script feedback_zipf "$2"
  zipf_before=$(cache_lookups "$1")
}
# The same reads without the writes: what a cached read costs on 10,000 keys.
case_feedback_zipf_reads() { case_feedback_zipf "$@"; export ZIPF_WRITE_SHARE=0; }
after_feedback_zipf_reads() { after_feedback_zipf "$@"; }
after_feedback_zipf() {
  read -r l1h l1m l2h <<<"$(cache_lookups "$1")"
  read -r b1h b1m b2h <<<"$zipf_before"
  awk -v h1=$((l1h - b1h)) -v m1=$((l1m - b1m)) -v h2=$((l2h - b2h)) 'BEGIN {
    n = h1 + m1; if (n == 0) n = 1
    printf "  feedback_stats reads %d: L1 hits %.2f%%, L1+L2 hits %.2f%%\n",
      h1 + m1, 100 * h1 / n, 100 * (h1 + h2) / n }'
}
# Every read a miss: an insight id never read before in each request (bench/feedback_miss.lua).
case_feedback_miss() { path=/api/v1/feedback/stats; bench_script feedback_miss "$2"; }
# "L1 hits, L1 misses, L2 hits" of feedback_stats.
cache_lookups() {
  curl -fs -H "Authorization: Bearer $UTXOIQ_BOOTSTRAP_ADMIN_KEY" "$1/api/v1/monitoring/cache" |
    python3 -c 'import json,sys; c=json.load(sys.stdin)["caches"]["feedback_stats"]; print(c["l1"]["hits"], c["l1"]["misses"], c["l2"]["hits"])'
}

# The other cached reads (issue 9): one backfill job by id (a hit, decoded and rendered with its
# `stale` as of the read), the recent points of one series and its hourly aggregate over a fixed
# range (hits sent as they are). Each case writes its data first; a write drops the entries, so
# the first request of the run loads and every later one hits.
case_backfill_job() {
  local id
  id=$(bench_post_json "$1/api/v1/monitoring/backfill/start" '{"job_type":"blocks","start_block":0,"end_block":1000}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  path="/api/v1/monitoring/backfill/$id"; bench_script auth_header "$2"
}
case_metrics_recent() {
  bench_metric_points "$1"
  path="/api/v1/monitoring/metrics?service_name=bench&metric_type=cpu"; bench_script auth_header "$2"
}
case_metrics_aggregate() {
  bench_metric_points "$1"
  local start end
  start=$(date -u +%Y-%m-%dT00:00:00Z) end=$(date -u -d tomorrow +%Y-%m-%dT00:00:00Z)
  path="/api/v1/monitoring/metrics/aggregate?service_name=bench&metric_type=cpu&interval=hour&start=$start&end=$end"
  bench_script auth_header "$2"
}
bench_post_json() {
  curl -fs -X POST -H "Authorization: Bearer $UTXOIQ_BOOTSTRAP_ADMIN_KEY" \
    -H 'Content-Type: application/json' "$1" -d "$2"
}
bench_metric_points() {
  local i
  for i in $(seq 1 20); do
    bench_post "$1/api/v1/monitoring/metrics" "{\"service_name\":\"bench\",\"metric_type\":\"cpu\",\"metric_value\":$i.5,\"unit\":\"pct\"}"
  done
}
