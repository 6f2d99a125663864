#!/usr/bin/env bash
# What query insight costs a request that runs SQL, as service CPU per request (issue 11: at most
# 3% on an uncached read or a write): one binary with `--query-insight off` (A) and `on` (B) side
# by side on the same PostgreSQL and Redis, wrk alternating between them (bench/cpu_side_by_side.sh).
# Cases: feedback_rate (the write) and backfill_status (an uncached read: one SELECT per request).
#   usage: [UTXOIQ_BIN=...] bench/insight_cpu.sh [--duration 5s] [--rounds 6] [--cases "..."]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${UTXOIQ_BIN:-$root/build/release/utxoiq-store}
exec "$root/bench/cpu_side_by_side.sh" --a-bin "$bin" --a-args "--query-insight off" --a-name off \
  --b-bin "$bin" --b-args "--query-insight on" --b-name on "$@"
