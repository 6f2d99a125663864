#!/usr/bin/env bash
# Hostile bodies vs the event loop (issue 10): /healthz latency while a writer key sends 16 MiB
# `{"metrics":[0,0,0,...]}` bodies to POST /metrics/batch in a loop (two senders), against the same
# measure without them; and the service's RSS before, at the end of the attack and 10 s after.
# Then a control: the same senders aimed at a port nobody listens on (curl still starts and loads
# the 16 MiB body each time, the service gets nothing), to tell the senders' own cost on a shared
# machine from the service's. Not a test: figures for docs/benchmarks.md. Loopback only.
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
sender() {  # URL
  while :; do
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $writer" \
      -H 'Content-Type: application/json' --data-binary @"$body" "$1" || true  # 000: refused
  done
}
sender_pids=()
start_senders() {  # URL STATUS_FILE
  sender_pids=()
  for _ in $(seq 1 "$senders"); do
    sender "$1" >>"$2" &
    sender_pids+=($!)
  done
  sleep 1
}
stop_senders() {
  kill "${sender_pids[@]}" 2>/dev/null || true
  wait "${sender_pids[@]}" 2>/dev/null || true
  sleep 2  # the last curl of each sender finishes
}
start_senders "$base/api/v1/monitoring/metrics/batch" "$work/statuses"
healthz "healthz with $senders hostile senders"
echo "RSS at the end of the attack: $(rss)"
stop_senders
echo "hostile requests answered: $(sort "$work/statuses" | uniq -c | tr '\n' ' ')"
sleep 10
echo "RSS 10 s after: $(rss)"
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_senders "http://127.0.0.1:$closed/" "$work/control"
healthz "control: healthz with $senders senders aimed at a closed port"
stop_senders
echo "control sender attempts: $(wc -l <"$work/control")"
