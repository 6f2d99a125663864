#!/usr/bin/env bash
# Hostile bodies vs the event loop (issue 10): /healthz latency (wrk) while a writer key sends
# 16 MiB `{"metrics":[0,0,0,...]}` bodies to POST /metrics/batch in a loop (--senders of them,
# bench/hostile_sender.py: the body built once in memory, streamed until the service answers),
# against the same measure without them; the service's RSS before, at the end of the attack and
# 10 s after; the CPU seconds of the service and of the senders in each phase.
#
# The third measure (--control) tells the senders' own cost on a shared machine from the
# service's: `alone` (default) measures /healthz alone again after the attack, so the two "alone"
# runs show how much the p99 moves with no attack at all; `closed` aims the same senders at a
# port nobody listens on (they then cost almost nothing: a refused connect and a 50 ms pause);
# `none` skips it. The curl loops this script used before started a process and read a 16 MiB
# file per request; their CPU raised the p99 whether or not the service received the bodies.
#
# Pinning, as bench/workers.sh: --service-cpus pins the service with its embedded PostgreSQL and
# Redis (set on this shell before the service starts, inherited; the shell is then unpinned),
# --wrk-cpu pins wrk, --sender-cpu the senders. Unset: no pinning. Other processes of the machine
# are not pinned away, so read /proc/loadavg's figure printed with each line.
#
# Every request past the key's rate limit (100 a minute by default) is a 429 answered on its
# header; UTXOIQ_SERVE_ARGS="--rate-limit-per-key 1000000" makes every request a hostile body.
# The senders stream the body at once (a hostile client does not wait), so a 429 still costs the
# service the draining of what they pushed before it; --expect-continue makes them wait for
# 100 Continue as curl did, and a refusal on the header then costs no body byte.
# Not a test: figures for docs/benchmarks.md. Loopback only.
#   bash bench/hostile.sh [--seconds 20] [--senders 2] [--pace 0] [--control alone|closed|none]
#                         [--expect-continue] [--service-cpus 0] [--wrk-cpu 1] [--sender-cpu 1]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=20 senders=2 pace=0 control=alone service_cpus='' wrk_cpu='' sender_cpu='' expect=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --senders) senders=$2; shift 2 ;;
    --pace) pace=$2; shift 2 ;;
    --control) control=$2; shift 2 ;;
    --service-cpus) service_cpus=$2; shift 2 ;;
    --wrk-cpu) wrk_cpu=$2; shift 2 ;;
    --sender-cpu) sender_cpu=$2; shift 2 ;;
    --expect-continue) expect=(--expect-continue); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case $control in alone | closed | none) ;; *) echo "--control: alone, closed or none" >&2; exit 2 ;; esac

if [[ -n $service_cpus ]]; then taskset -p -c "$service_cpus" $$ >/dev/null; fi
source "$root/bench/service.sh"
if [[ -n $service_cpus ]]; then taskset -p -c "0-$(($(nproc --all) - 1))" $$ >/dev/null; fi
on_cpu() {  # CPU_LIST COMMAND...: the command pinned to CPU_LIST, or as is when it is empty
  local cpus=$1
  shift
  if [[ -n $cpus ]]; then taskset -c "$cpus" "$@"; else "$@"; fi
}

ticks=$(getconf CLK_TCK)
rss() { awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$pid/status"; }
service_cpu() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$pid/stat"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
writer=$("$bin" keys create --role writer --name hostile --data-dir "$work/var" | awk '/^key:/ {print $2}')
echo "service pid $pid; pinning: service ${service_cpus:-none}, wrk ${wrk_cpu:-none}, senders ${sender_cpu:-none}"

# wrk's /healthz latency: p50, p99 (in ms) and req/s, with the service's CPU seconds meanwhile and
# the 1-minute load average at the end.
healthz() {  # LABEL
  local before out
  before=$(service_cpu)
  out=$(on_cpu "$wrk_cpu" wrk -t1 -c8 -d"${seconds}s" --latency "$base/healthz")
  echo "$out" | awk -v what="$1" -v cpu="$(awk -v a="$before" -v b="$(service_cpu)" 'BEGIN {print b - a}')" \
    -v load="$(load1)" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /Requests\/sec/ {r = $2}
    END {printf "%s: p50 %.3f ms, p99 %.3f ms, %s req/s, service CPU %.2f s, load %s\n",
                what, p50, p99, r, cpu, load}'
}

sender_pids=()
start_senders() {  # PORT OUTPUT_PREFIX
  sender_pids=()
  local pin=()
  if [[ -n $sender_cpu ]]; then pin=(taskset -c "$sender_cpu"); fi
  for i in $(seq 1 "$senders"); do
    # A simple command in the background: $! is the sender itself (taskset execs it), not a
    # subshell, so the TERM below reaches it.
    "${pin[@]}" python3 "$root/bench/hostile_sender.py" --port "$1" --key "$writer" \
      --pace "$pace" "${expect[@]}" >"$2-$i.json" &
    sender_pids+=($!)
  done
  sleep 1  # the senders are sending before wrk starts
}
stop_senders() {  # OUTPUT_PREFIX: prints the senders' summed counts
  kill -TERM "${sender_pids[@]}" 2>/dev/null || true
  wait "${sender_pids[@]}" 2>/dev/null || true
  python3 - "$1"-*.json <<'PY'
import json, sys
total = {}
for name in sys.argv[1:]:
    for key, value in json.load(open(name)).items():
        total[key] = total.get(key, 0) + value
total["seconds"] = max(json.load(open(n))["seconds"] for n in sys.argv[1:])
print("senders:", json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in total.items()}))
PY
}
batch_statuses() {  # the service's own count of the route's answers, by status
  curl -s "$base/metrics" | awk -F'[{}]' '/^http_requests_total\{.*route="metrics_batch"/ {
    match($2, /status="[0-9]+"/); printf "%s: %d, ", substr($2, RSTART + 8, 3), $3} END {print ""}'
}

echo "RSS before: $(rss)"
healthz "healthz alone"
start_senders "$port" "$work/attack"
healthz "healthz with $senders hostile senders"
echo "RSS at the end of the attack: $(rss)"
stop_senders "$work/attack"
echo "service's answers to POST /metrics/batch: $(batch_statuses)"
sleep 10
echo "RSS 10 s after: $(rss)"
case $control in
  alone) healthz "control: healthz alone again" ;;
  closed)
    closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    start_senders "$closed" "$work/control"
    healthz "control: healthz with $senders senders aimed at a closed port"
    stop_senders "$work/control"
    ;;
  none) ;;
esac
