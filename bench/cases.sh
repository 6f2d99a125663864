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
case_feedback_stats() {
  local i
  for i in $(seq 0 49); do
    bench_post "$1/api/v1/feedback/rate" "{\"insight_id\":\"stats-insight-$i\",\"user_id\":\"u$i\",\"rating\":$((i % 5 + 1))}"
    bench_post "$1/api/v1/feedback/flag" "{\"insight_id\":\"stats-insight-$i\",\"user_id\":\"v$i\",\"flag_type\":\"spam\"}"
  done
  path=/api/v1/feedback/stats; bench_script feedback_stats "$2"
}
case_backfill_status() {
  local i
  for i in $(seq 1 50); do
    bench_post "$1/api/v1/monitoring/backfill/start" "{\"job_type\":\"blocks\",\"start_block\":0,\"end_block\":$((i * 1000))}"
  done
  path="/api/v1/monitoring/backfill/status?limit=1"; bench_script auth_header "$2"
}
