#!/usr/bin/env bash
# GET /metrics/series with a million series (issue 10): the list is keyset-paged now, so a page is
# small however many series there are, and reading them all does not hold the event loop. Puts
# SERIES rows in the series catalogue with SQL (what 100 batches of 10,000 new series leave there,
# without writing their points), then: the first page's size and time at the default and the
# largest limit; a walk of every page (limit 500) following next_cursor, checking that each series
# comes once, in order; /healthz latency alone and while walkers page through the list in a loop;
# the service's RSS before and after. Not a test: figures for docs/benchmarks.md. Loopback only.
#   bash bench/series_pages.sh [--series 1000000] [--seconds 15] [--walkers 2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
series=1000000
seconds=15
walkers=2
while [[ $# -gt 0 ]]; do
  case $1 in
    --series) series=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --walkers) walkers=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
psql_cmd=(psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d utxoiq -v ON_ERROR_STOP=1)
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }

# 1,000 series per service: pages end inside a service and across services.
"${psql_cmd[@]}" -c "INSERT INTO system_metrics_series (service_name, metric_type, unit, last_timestamp)
  SELECT 'bench-svc-' || lpad((i / 1000)::text, 6, '0'), 'metric.' || lpad((i % 1000)::text, 4, '0'),
         'ms', now()
  FROM generate_series(0, $series - 1) AS i; ANALYZE system_metrics_series;"
echo "series: $("${psql_cmd[@]}" -tAc 'SELECT count(*) FROM system_metrics_series'); service pid $pid"
echo "RSS before: $(rss)"

url="$base/api/v1/monitoring/metrics/series"
auth="Authorization: Bearer $UTXOIQ_BOOTSTRAP_ADMIN_KEY"
for limit in 50 500; do
  for _ in 1 2 3; do
    curl -fs -o /dev/null -H "$auth" -w "first page, limit $limit: %{size_download} bytes, %{time_total} s\n" \
      "$url?limit=$limit"
  done
done

# Every page of the list, in order, over one keep-alive connection: once, with checks and a
# summary line (argument 1), or in a loop until killed (0).
cat >"$work/walk.py" <<'PY'
import http.client, json, signal, sys, time
port, key, once = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
conn = http.client.HTTPConnection("127.0.0.1", port)
total_pages = 0
def stop(*_):
    print(f"walker: {total_pages} pages read")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
while True:
    cursor, pages, count, largest, times, last = None, 0, 0, 0, [], None
    start = time.monotonic()
    while True:
        target = "/api/v1/monitoring/metrics/series?limit=500" + (f"&cursor={cursor}" if cursor else "")
        t0 = time.monotonic()
        conn.request("GET", target, headers={"Authorization": f"Bearer {key}"})
        response = conn.getresponse()
        body = response.read()
        times.append(time.monotonic() - t0)
        assert response.status == 200, (response.status, body[:200])
        page = json.loads(body)
        for s in page["series"]:
            k = (s["service_name"], s["metric_type"])
            assert last is None or last < k, (last, k)  # each once, in order
            last = k
        pages += 1
        total_pages += 1
        count += len(page["series"])
        largest = max(largest, len(body))
        cursor = page["next_cursor"]
        if cursor is None:
            break
    if once:
        times.sort()
        ms = lambda q: 1000 * times[min(len(times) - 1, int(q * len(times)))]
        print(f"walk: {count} series in {pages} pages, {time.monotonic() - start:.1f} s, largest page "
              f"{largest} bytes, per page p50 {ms(0.5):.2f} ms, p99 {ms(0.99):.2f} ms, max {1000 * times[-1]:.2f} ms")
        break
PY
walk() { python3 "$work/walk.py" "$port" "$UTXOIQ_BOOTSTRAP_ADMIN_KEY" "$1"; }
walk 1
echo "RSS after one walk: $(rss)"
# The plan of a page in the middle of the list: an index range scan on the primary key.
"${psql_cmd[@]}" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT service_name, metric_type, unit, last_timestamp
  FROM system_metrics_series WHERE (service_name, metric_type) > ('bench-svc-000500', 'metric.0499')
  ORDER BY service_name, metric_type LIMIT 501" | grep -E 'Scan|Index Cond|Buffers|Execution'

healthz() {
  wrk -t1 -c8 -d"${seconds}s" --latency "$base/healthz" |
    awk -v what="$1" '/^ +Latency +[0-9]/ {max=$4} /^ +(50|99)%/ {p[$1]=$2} /Requests\/sec/ {r=$2}
      END {print what ": p50 " p["50%"] ", p99 " p["99%"] ", max " max ", " r " req/s"}'
}
healthz "healthz alone"
walker_pids=()
for _ in $(seq 1 "$walkers"); do
  python3 "$work/walk.py" "$port" "$UTXOIQ_BOOTSTRAP_ADMIN_KEY" 0 >>"$work/walkers" &
  walker_pids+=($!)
done
sleep 1
healthz "healthz with $walkers walkers paging through the series"
echo "RSS at the end of the walks: $(rss)"
kill "${walker_pids[@]}" 2>/dev/null || true
wait "${walker_pids[@]}" 2>/dev/null || true
cat "$work/walkers"
