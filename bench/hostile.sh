#!/usr/bin/env bash
# Hostile bodies vs the event loop (issue 10): /healthz latency while a writer key sends 16 MiB
# `{"metrics":[0,0,0,...]}` bodies to POST /metrics/batch in a loop (two senders), against the same
# measure without them; and the service's RSS before, at the end of the attack and 10 s after.
# Not a test: figures for docs/benchmarks.md. Loopback only.
#   bash bench/hostile.sh [--seconds 20] [--senders 2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=20
senders=2
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --senders) senders=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/service.sh"
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
writer=$("$bin" keys create --role writer --name hostile --data-dir "$work/var" | awk '/^key:/ {print $2}')
body="$work/hostile.json"
python3 - "$body" <<'PY'
import sys
limit = 16 * 1024 * 1024 - 64
head, tail = '{"metrics":[0', ']}'
count = (limit - len(head) - len(tail)) // 2
with open(sys.argv[1], "w") as out:
    out.write(head + ",0" * count + tail)
PY
echo "body: $(stat -c %s "$body") bytes; service pid $pid"
healthz() {
  wrk -t1 -c8 -d"${seconds}s" --latency "$base/healthz" |
    awk -v what="$1" '/^ +(50|99)%/ {p[$1]=$2} /Requests\/sec/ {r=$2}
      END {print what ": p50 " p["50%"] ", p99 " p["99%"] ", " r " req/s"}'
}
echo "RSS before: $(rss)"
healthz "healthz alone"
sender() {
  while :; do
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $writer" \
      -H 'Content-Type: application/json' --data-binary @"$body" "$base/api/v1/monitoring/metrics/batch"
  done
}
sender_pids=()
for _ in $(seq 1 "$senders"); do
  sender >>"$work/statuses" &
  sender_pids+=($!)
done
sleep 1
healthz "healthz with $senders hostile senders"
echo "RSS at the end of the attack: $(rss)"
kill "${sender_pids[@]}" 2>/dev/null || true
wait "${sender_pids[@]}" 2>/dev/null || true
sleep 2  # the last curl of each sender finishes
echo "hostile requests answered: $(sort "$work/statuses" | uniq -c | tr '\n' ' ')"
sleep 10
echo "RSS 10 s after: $(rss)"
