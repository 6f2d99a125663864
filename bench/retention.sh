#!/usr/bin/env bash
# Retention benchmark (issue 13): on the service's own embedded PostgreSQL, expired rows are
# generated straight into the tables (metrics spread over day partitions older than the 90-day
# cutoff, feedback updated 800 days ago); then, in ONE run:
#   1. POST /feedback/rate under wrk alone for --duration: its p99 without retention;
#   2. the same wrk again while POST /monitoring/retention/run archives and deletes everything:
#      the run's duration (from the run's own started_at/finished_at), rows/s archived, and the
#      p99 of POST /feedback/rate during it.
# Row counts are checked in the tables before and after, not taken from the run alone.
#   usage: bench/retention.sh [--metrics 10000000] [--feedback 1000000] [--days 30] [--duration 20s]
#                             [--connections 8]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
metrics=10000000 feedback=1000000 days=30 duration=20s connections=8
while [ $# -gt 0 ]; do
  case $1 in
    --metrics) metrics=$2; shift 2 ;;
    --feedback) feedback=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
psql_cmd=(psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d utxoiq -v ON_ERROR_STOP=1)
count() { "${psql_cmd[@]}" -tAc "SELECT count(*) FROM $1"; }

start_gen=$(date +%s)
"${psql_cmd[@]}" >/dev/null <<SQL
SET TimeZone = 'UTC';
SET synchronous_commit = off;
SELECT format('CREATE TABLE IF NOT EXISTS %I PARTITION OF system_metrics FOR VALUES FROM (%L) TO (%L)',
              'system_metrics_p' || to_char(d, 'YYYYMMDD'), d, d + interval '1 day')
FROM generate_series(date_trunc('day', now()) - interval '91 days' - make_interval(days => $days - 1),
                     date_trunc('day', now()) - interval '91 days', interval '1 day') AS g(d)
\gexec
INSERT INTO system_metrics (id, service_name, metric_type, metric_value, unit, "timestamp")
SELECT gen_random_uuid(), 'bench-svc-' || (i % 5), 'metric.' || (i % 13), i % 1000, 'ms',
       date_trunc('day', now()) - interval '91 days' - make_interval(days => $days - 1)
         + make_interval(secs => (i::double precision * $days * 86400 / $metrics))
FROM generate_series(0, $metrics - 1) AS i;
INSERT INTO insight_feedback (id, insight_id, user_id, rating, created_at, updated_at)
SELECT gen_random_uuid(), 'old-insight-' || (i % 1000), 'old-user-' || i, 1 + i % 5,
       now() - interval '800 days', now() - interval '800 days'
FROM generate_series(1, $feedback) AS i;
SQL
echo "generated in $(( $(date +%s) - start_gen )) s: $(count system_metrics) metric rows in $days day partitions, $(count insight_feedback) feedback rows"

cat "$root/bench/feedback_rate.lua" "$root/bench/report.lua" >"$work/feedback_rate.lua"
rate_p99() {
  wrk -t 1 -c "$connections" -d "$duration" --latency -s "$work/feedback_rate.lua" \
    "$base/api/v1/feedback/rate" | grep '^REPORT'
}
read -r _ rps_alone _ p99_alone errors_alone <<<"$(rate_p99)"

# The run in the background; wrk in back-to-back windows of --duration until it has ended: the
# "during" figures are the worst p99 and the mean requests/s over those windows.
curl -fs -X POST -H "Authorization: Bearer $UTXOIQ_BOOTSTRAP_ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"dry_run":false}' \
  "$base/api/v1/monitoring/retention/run" >"$work/run.json" &
curl_pid=$!
: >"$work/during.txt"
while kill -0 "$curl_pid" 2>/dev/null; do rate_p99 >>"$work/during.txt"; done
wait "$curl_pid"
read -r windows rps_during p99_during errors_during <<<"$(awk '{ n++; r += $2; if ($4 > p) p = $4; e += $5 }
  END { printf "%d %.0f %.3f %d", n, r / n, p, e }' "$work/during.txt")"

python3 - "$work/run.json" <<'PY'
import json, sys
from datetime import datetime
run = json.load(open(sys.argv[1]))
assert run["status"] == "succeeded", run
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
secs = (t(run["finished_at"]) - t(run["started_at"])).total_seconds()
archived = sum(p["archived"] for p in run["policies"])
for p in run["policies"]:
    print(f"  {p['table']:18s} archived {p['archived']:>10d}  deleted {p['deleted']:>10d}  "
          f"partitions dropped {p['partitions_dropped']}")
print(f"retention run: {secs:.1f} s, {archived / secs:,.0f} rows/s archived (and deleted)")
PY
echo "left: $(count system_metrics) metric rows; $(count "insight_feedback WHERE updated_at < now() - interval '730 days'") expired feedback rows"
printf '%-34s %12s %10s %8s\n' "POST /feedback/rate ($connections conn)" requests/s p99_ms errors
printf '%-34s %12s %10s %8s\n' "alone" "$rps_alone" "$p99_alone" "$errors_alone"
printf '%-34s %12s %10s %8s\n' "during the run ($windows windows)" "$rps_during" "$p99_during" "$errors_during"
