#!/usr/bin/env bash
# write(2) calls of the service per request with the access log on (--log-level info): the
# service's /proc/PID/io syscw over one 10 s wrk run of /healthz (socket sends are sendmsg and do
# not count there). One access line per request, so this is the log's system calls per line.
#   usage: [UTXOIQ_BIN=...] bench/log_writes.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
UTXOIQ_BENCH_LOG_LEVEL=info
source "$root/bench/service.sh"
source "$root/bench/cases.sh"
lua=""; case_healthz "$base" "$work"
before=$(awk '/^syscw/ {print $2}' /proc/$pid/io)
out=$(wrk -t1 -c32 -d10s -s "$root/bench/report.lua" "$base$path")
after=$(awk '/^syscw/ {print $2}' /proc/$pid/io)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
echo "requests $requests write_syscalls $((after - before))"
python3 -c "print(f'writes per request: {($after - $before) / $requests:.4f}')"
