# The soak of bench/soak.sh (issue 10), run against a service that soak.sh started: mixed reads and
# writes for the whole run while Redis and PostgreSQL are each restarted twice; the service's RSS and
# open descriptors sampled every few seconds into a CSV. It passes only when (a) every acknowledged
# write is read back through the API at the end and (b) every error answer falls in a PostgreSQL
# outage window and is a 503 with Retry-After (design.md: while Redis is down no request fails). (c), RSS and descriptors back on a plateau, is printed, not judged:
# how much drift is a leak depends on the run's length. Exit status 1 when (a) or (b) fails.
#   python3 bench/soak.py --minutes N --port P --pid SERVICE_PID --data-dir DIR --out DIR
import argparse
import collections
import csv
import os
import random
import signal
import sys
import threading
import time

from soak_load import Client, Load, lost_writes
from soak_servers import Server

SAMPLE_SECONDS = 5
DOWN_SECONDS = 5  # how long each server stays stopped
GRACE_SECONDS = 5  # after /readyz shows the server back, errors still count as the outage's
# (fraction of the run, server, stop signal): Redis and PostgreSQL twice each, gently then harshly.
RESTARTS = [(0.25, "redis", signal.SIGTERM), (0.40, "postgres", signal.SIGINT),
            (0.55, "redis", signal.SIGKILL), (0.70, "postgres", signal.SIGQUIT)]


def sample(pid, path, stop):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["time", "rss_kb", "fds"])
        while not stop.is_set():
            with open(f"/proc/{pid}/status") as status:
                rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
            out.writerow([f"{time.time():.1f}", rss, len(os.listdir(f"/proc/{pid}/fd"))])
            f.flush()
            stop.wait(SAMPLE_SECONDS)


def back_up(client, server):
    """Waits until /readyz shows `server` back (Redis: cache up; PostgreSQL: ready)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, body, _ = client.request("GET", "/readyz")
        if status == 200 and (server == "postgres" or body.get("cache") == "up"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"the service did not see {server} back within 120 s")


def run_schedule(args, start, servers):
    """Performs the restarts at their times; returns the outage windows [(from, to, label)]."""
    client = Client(args.port, os.environ["UTXOIQ_BOOTSTRAP_ADMIN_KEY"])
    windows = []
    for k, (fraction, name, sig) in enumerate(RESTARTS, 1):
        time.sleep(max(0.0, start + fraction * args.minutes * 60 - time.time()))
        began = time.time()
        servers[name].restart(sig, DOWN_SECONDS)
        back_up(client, name)
        back = time.time()
        label = f"outage{k}-{name}-{signal.Signals(sig).name}"
        print(f"{label}: began at +{began - start:.0f} s, service saw it back after "
              f"{back - began:.1f} s", flush=True)
        windows.append((began, back + GRACE_SECONDS, label))
    client.close()
    time.sleep(max(0.0, start + args.minutes * 60 - time.time()))
    return windows


def phase_of(t, windows):
    # The latest window first: a grace period may reach into the next outage, which then owns it.
    for began, ended, label in reversed(windows):
        if began <= t <= ended:
            return label
    return "before" if t < windows[0][0] else "between/after"


def judge_statuses(log, windows):
    """Prints the status counts per phase; returns the answers that break rule (b).
    A window lasts from the stop signal until /readyz shows the server back, plus GRACE_SECONDS."""
    counts = collections.defaultdict(collections.Counter)
    errors = collections.defaultdict(collections.Counter)  # phase -> "kind status" -> n
    bad = collections.Counter()
    for t, kind, status, retry in log:
        phase = phase_of(t, windows)
        counts[phase][status] += 1
        if not (isinstance(status, int) and status < 300):
            errors[phase][f"{kind} {status}"] += 1
        ok = isinstance(status, int) and 200 <= status < 300
        if not ok and not ("postgres" in phase and status == 503 and retry):
            bad[(phase, kind, status, retry)] += 1
    order = ["before"] + [w[2] for w in windows] + ["between/after"]
    for phase in order:
        row = ", ".join(f"{s}: {n}" for s, n in sorted(counts[phase].items(), key=str))
        print(f"  {phase:28} {row or '-'}")
        if errors[phase]:
            print(f"  {'':28} errors by request: " +
                  ", ".join(f"{k}: {n}" for k, n in sorted(errors[phase].items())))
    return bad


def plateau(samples_path, windows, end, span):
    """Mean RSS and fds over `span` s before the first restart and over the last `span` s."""
    with open(samples_path) as f:
        rows = [(float(r["time"]), int(r["rss_kb"]), int(r["fds"])) for r in csv.DictReader(f)]
    first = windows[0][0]

    def mean(lo, hi, i):
        values = [r[i] for r in rows if lo <= r[0] < hi]
        return sum(values) / len(values) if values else float("nan")

    minutes = collections.defaultdict(list)
    for row in rows:
        minutes[int((row[0] - rows[0][0]) // 60)].append(row)
    print("  per minute, mean RSS kB / fds min-max: " + ", ".join(
        f"{m}: {sum(r[1] for r in v) / len(v):.0f} / {min(r[2] for r in v)}-{max(r[2] for r in v)}"
        for m, v in sorted(minutes.items())))
    for what, i, unit in (("RSS", 1, " kB"), ("open fds", 2, "")):
        before, last = mean(first - span, first, i), mean(end - span, end + 1, i)
        print(f"  {what}: {before:.0f}{unit} in the {span:.0f} s before the first restart, "
              f"{last:.0f}{unit} in the last {span:.0f} s ({100 * (last - before) / before:+.1f}%)")


def main():
    parser = argparse.ArgumentParser()
    for name in ("--minutes", "--port", "--pid"):
        parser.add_argument(name, type=float if name == "--minutes" else int, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    servers = {name: Server(name, os.path.join(args.data_dir, name)) for name in ("redis", "postgres")}
    tag = f"{random.randrange(16**8):08x}"
    load = Load(args.port, os.environ["UTXOIQ_BOOTSTRAP_ADMIN_KEY"], tag)
    stop_sampling = threading.Event()
    samples = os.path.join(args.out, "soak-samples.csv")
    sampler = threading.Thread(target=sample, args=(args.pid, samples, stop_sampling))
    start = time.time()
    sampler.start()
    load.start()
    try:
        windows = run_schedule(args, start, servers)
        end = time.time()
        load.finish()
        lost_ratings, lost_jobs = lost_writes(load)
    finally:
        load.stop.set()
        stop_sampling.set()
        sampler.join()
        for server in servers.values():
            server.stop_all()
    print(f"soak: {args.minutes:g} min, {len(load.log)} requests, load average at the end "
          f"{os.getloadavg()[0]:.2f}; status codes per phase:")
    bad = judge_statuses(load.log, windows)
    print(f"(a) acknowledged writes: {len(load.ratings)} ratings, {len(load.jobs)} backfill jobs; "
          f"lost: {len(lost_ratings)} ratings, {len(lost_jobs)} jobs")
    print(f"(b) answers outside the rule (2xx; a 503 with Retry-After in a PostgreSQL outage): "
          f"{sum(bad.values())}")
    for (phase, kind, status, retry), n in sorted(bad.items(), key=str):
        print(f"    {n} x {kind} -> {status} (Retry-After: {retry}) in {phase}")
    print(f"(c) plateau (samples in {samples}):")
    plateau(samples, windows, end, min(60.0, 0.2 * args.minutes * 60))
    failed = lost_ratings or lost_jobs or bad
    print("soak: FAILED" if failed else "soak: passed (a) and (b)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
