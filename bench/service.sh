# Sourced by the load benchmarks: starts a Release build of the service on its own embedded
# PostgreSQL and Redis in a fresh temporary directory, waits until it is ready, and stops it and
# removes the directory when the script exits. Sets: work (the directory), port, base (the URL),
# pid, pgport (the embedded PostgreSQL's port), PGPASSFILE (its password, for psql),
# UTXOIQ_BOOTSTRAP_ADMIN_KEY (the admin key).
# UTXOIQ_SERVE_ARGS adds flags to `serve` for an experiment (e.g. "--no-redis"); READY_TRIES
# half-seconds are waited for /readyz (default 120). UTXOIQ_WORKERS is `serve --workers`; default
# 1, the single process every earlier figure of docs/benchmarks.md was measured with, whose $pid
# is then the whole service (the CPU-per-request scripts read its CPU time). UTXOIQ_BENCH_LOG
# names a file that receives the service's log when the script exits (e.g. "event loop held");
# UTXOIQ_BENCH_LOG_LEVEL is `--log-level` (default warn: no access log).
bin=${UTXOIQ_BIN:-$root/build/release/utxoiq-store}
work=$(mktemp -d /tmp/utxoiq-bench.XXXXXX)
chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export UTXOIQ_BOOTSTRAP_ADMIN_KEY=bench-admin-key-0123456789abcdef
"$bin" serve --listen "127.0.0.1:$port" --data-dir "$work/var" --log-level "${UTXOIQ_BENCH_LOG_LEVEL:-warn}" --workers "${UTXOIQ_WORKERS:-1}" ${UTXOIQ_SERVE_ARGS:-} >"$work/serve.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -z "${UTXOIQ_BENCH_LOG:-}" ] || cp "$work/serve.log" "$UTXOIQ_BENCH_LOG"
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 "${READY_TRIES:-120}"); do  # half-seconds
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.5
done
base="http://127.0.0.1:$port"
pgport=$(sed -n 4p "$work/var/postgres/postmaster.pid")
# The embedded PostgreSQL wants its superuser's password over TCP; psql reads it from this file.
export PGPASSFILE="$work/var/postgres/utxoiq_embedded.pgpass"
