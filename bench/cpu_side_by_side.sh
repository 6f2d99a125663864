#!/usr/bin/env bash
# Service CPU per request of two services side by side, in ONE run: A and B (two binaries, or one
# binary with other flags) on the same embedded PostgreSQL and Redis, and wrk alternating between
# them (round 1: A then B; round 2: B then A; ...), each run counting the utime+stime of its
# service process (/proc/PID/stat) over the requests wrk completed. Requests/s on this shared
# 2-core machine move by 2-3x between runs with the neighbours' load; the CPU the service process
# spends per request moves far less, and both sides see the same database and machine state.
#   usage: bench/cpu_side_by_side.sh [--a-bin BIN] [--a-args "FLAGS"] [--a-name a]
#          [--b-bin BIN] [--b-args "FLAGS"] [--b-name b] [--duration 5s] [--rounds 6]
#          [--connections 32] [--cases "feedback_rate backfill_status"] [--together]
#   --together: in each round both sides are driven at the same time (a wrk each, --connections
#   each), so both see the same moments of the machine's load; without it they take turns.
#   --delay-ms N: each connection waits N ms after each answer (wrk's delay()), so both sides get
#   about the same request rate below what the machine can do: the CPU a request costs depends on
#   the rate (requests per wake-up, batch sizes), so sides driven at different rates by the
#   neighbours' load would differ for that alone.
#   (bins default to build/release/utxoiq-store; A starts the embedded servers, B uses them)
# Prints every run, then per case and side the CPU per request over all its runs (total CPU over
# total requests) and the median of its runs, and B/A - 1, also paired by round with its
# standard error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=5s rounds=6 connections=32 cases="feedback_rate backfill_status"
a_bin=$root/build/release/utxoiq-store b_bin=$root/build/release/utxoiq-store
a_args="" b_args="" a_name=a b_name=b together=0 delay_ms=0
while [ $# -gt 0 ]; do
  case $1 in
    --a-bin) a_bin=$2; shift 2 ;;
    --b-bin) b_bin=$2; shift 2 ;;
    --a-args) a_args=$2; shift 2 ;;
    --b-args) b_args=$2; shift 2 ;;
    --a-name) a_name=$2; shift 2 ;;
    --together) together=1; shift ;;
    --delay-ms) delay_ms=$2; shift 2 ;;
    --b-name) b_name=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

# A owns the embedded servers (bench/service.sh).
UTXOIQ_BIN=$a_bin UTXOIQ_SERVE_ARGS=$a_args
source "$root/bench/service.sh"
source "$root/bench/cases.sh"
a_pid=$pid a_base=$base

# B: on the same PostgreSQL and Redis.
redis_conf=$(find "$work/var" -name 'redis.conf' | head -1)
redis_port=$(awk '$1 == "port" { print $2 }' "$redis_conf")
redis_password=$(awk '$1 == "requirepass" { print $2 }' "$redis_conf")
b_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL="postgresql://postgres@127.0.0.1:$pgport/utxoiq?passfile=$PGPASSFILE" \
  REDIS_URL="redis://:$redis_password@127.0.0.1:$redis_port" \
  "$b_bin" serve --listen "127.0.0.1:$b_port" --data-dir "$work/var-b" --log-level warn \
  --workers 1 $b_args >"$work/serve-b.log" 2>&1 &
b_pid=$!
trap 'kill "$b_pid" 2>/dev/null || true; wait "$b_pid" 2>/dev/null || true; cleanup' EXIT
b_base="http://127.0.0.1:$b_port"
for _ in $(seq 1 120); do
  curl -fs "$b_base/readyz" >/dev/null 2>&1 && break
  kill -0 "$b_pid" 2>/dev/null || { cat "$work/serve-b.log"; exit 1; }
  sleep 0.5
done

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
counter="$work/count.lua"
cat >"$counter" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("COUNT %d %.0f %d\n", summary.requests,
      summary.requests / (summary.duration / 1e6),
      summary.errors.status + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

results="$work/results.txt"
: >"$results"
run=0
for c in $cases; do
  unset lua
  "case_$c" "$a_base" "$work"  # data is shared: prepared once
  for round in $(seq 1 "$rounds"); do
    order="a b"
    [ $((round % 2)) -eq 0 ] && order="b a"
    [ "$together" = 1 ] && order="together"
    for side in $order; do
      sides=$side
      [ "$side" = together ] && sides="a b"
      declare -A before=() outs=() wrk_pids=()
      for s in $sides; do
        run=$((run + 1))
        script="$work/run_$run.lua"
        # A seed per run: the write case draws its user ids from math.random, which wrk does not
        # seed, so every run would otherwise rewrite the rows of the first.
        echo "math.randomseed($run * 7919 + $$)" >"$script"
        [ -n "${lua:-}" ] && cat "$root/bench/$(basename "$lua" .lua).lua" >>"$script"
        cat "$counter" >>"$script"
        [ "$delay_ms" != 0 ] && echo "function delay() return $delay_ms end" >>"$script"
        if [ "$s" = a ]; then p=$a_pid b=$a_base; else p=$b_pid b=$b_base; fi
        before[$s]=$(cpu_ticks "$p")
        outs[$s]="$work/wrk_$run.out"
        wrk -t 1 -c "$connections" -d "$duration" -s "$script" "$b$path" >"${outs[$s]}" &
        wrk_pids[$s]=$!
      done
      for s in $sides; do
        wait "${wrk_pids[$s]}"
        if [ "$s" = a ]; then p=$a_pid; else p=$b_pid; fi
        # Together: both wrk end within a few ms of each other; each side's CPU is read when its
        # own wrk has ended.
        after=$(cpu_ticks "$p")
        read -r _ n rps errors <<<"$(grep '^COUNT' "${outs[$s]}")"
        ticks_used=$((after - ${before[$s]}))
        echo "$c $round $s $n $ticks_used $rps $errors" >>"$results"
        name=$a_name; [ "$s" = b ] && name=$b_name
        awk -v c="$c" -v r="$round" -v s="$name" -v n="$n" -v t="$ticks_used" -v hz="$ticks" \
          -v rps="$rps" -v e="$errors" \
          'BEGIN { printf "%-16s round %2d %-6s %8s req/s %9.2f cpu_us/req  errors %s\n", c, r, s, rps, t / hz * 1e6 / n, e }'
      done
    done
  done
done

echo "== per case: service CPU per request (all runs: total CPU / total requests; median of runs);"
echo "   paired: the mean over rounds of $b_name/$a_name - 1 within a round (runs side by side in time) +- its"
echo "   standard error"
awk -v hz="$ticks" -v an="$a_name" -v bn="$b_name" '
  { key = $1 " " $3; n[key] += $4; t[key] += $5; us = $5 / hz * 1e6 / $4
    runs[key] = runs[key] " " us; cases[$1] = 1; round_us[$1 " " $2 " " $3] = us; rounds[$1] = $2 }
  function median(list,   a, k, i, j, x) {
    k = split(list, a, " ")
    for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > x + 0; j--) a[j + 1] = a[j]; a[j + 1] = x }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    for (c in cases) {
      off = t[c " a"] / hz * 1e6 / n[c " a"]; on = t[c " b"] / hz * 1e6 / n[c " b"]
      moff = median(runs[c " a"]); mon = median(runs[c " b"])
      k = rounds[c]; sum = 0; sq = 0
      for (r = 1; r <= k; r++) { d = round_us[c " " r " b"] / round_us[c " " r " a"] - 1; sum += d; sq += d * d }
      mean = sum / k; se = k > 1 ? sqrt((sq - k * mean * mean) / (k - 1) / k) : 0
      printf "%-16s %s %8.2f us (median %8.2f)  %s %8.2f us (median %8.2f)  %s/%s - 1: %+.1f%% (medians %+.1f%%, paired %+.1f%% +- %.1f%%)\n",
        c, an, off, moff, bn, on, mon, bn, an, 100 * (on / off - 1), 100 * (mon / moff - 1), 100 * mean, 100 * se
    }
  }' "$results"
