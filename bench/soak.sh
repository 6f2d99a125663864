#!/usr/bin/env bash
# Soak (issue 10): a Release build of the service on its own embedded PostgreSQL and Redis
# (bench/service.sh, loopback only), mixed reads and writes for N minutes while Redis and
# PostgreSQL are each restarted twice (bench/soak.py does the load, the restarts and the verdict).
# Exits non-zero when an acknowledged write is lost or an error answer is not a 503 of an outage.
# Bounded: N minutes plus the read-back. The samples CSV is kept in --out.
#   usage: bench/soak.sh [--minutes 10] [--out DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minutes=10
out=
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
out=${out:-$(mktemp -d /tmp/utxoiq-soak.XXXXXX)}
mkdir -p "$out"
source "$root/bench/service.sh"
echo "soak: service pid $pid on $base, ${minutes} min, load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
PYTHONDONTWRITEBYTECODE=1 python3 "$root/bench/soak.py" --minutes "$minutes" --port "$port" --pid "$pid" \
  --data-dir "$work/var" --out "$out" || status=$?
if ! kill -0 "$pid" 2>/dev/null; then echo "soak: the service exited; its log:"; tail -50 "$work/serve.log"; status=1; fi
exit "$status"
