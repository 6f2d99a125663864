#!/usr/bin/env python3
"""Prepared rows for bench/ingest.sh: one batch of metric points as the JSON body of
POST /api/v1/monitoring/metrics/batch, and the same points (repeated, with fresh ids) as COPY text
for `psql \\copy` into system_metrics, so both paths load identical rows.

usage: metrics_rows.py --rows 10000 --json batch.json --tsv rows1.tsv rows2.tsv --tsv-copies 50
(each TSV file holds the batch `--tsv-copies` times, every row with an id of its own)
"""
import argparse
import datetime as dt
import json
import random
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--json", required=True)
    parser.add_argument("--tsv", required=True, nargs="+")
    parser.add_argument("--tsv-copies", type=int, default=50)
    args = parser.parse_args()

    rng = random.Random(42)
    now = dt.datetime.now(dt.timezone.utc)
    # 5 services x 10 metric types, points spread over the last 50 minutes: one day partition,
    # at most two hours of rollups per series.
    points = []
    for i in range(args.rows):
        at = now - dt.timedelta(seconds=rng.uniform(60, 3000))
        points.append({
            "service_name": "bench-svc-%d" % (i % 5),
            "metric_type": "metric.%d" % (i % 10),
            "metric_value": round(rng.uniform(0, 1000), 3),
            "unit": "ms",
            "timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "metadata": {"host": "node-%d" % (i % 32), "region": "eu-west"},
        })
    with open(args.json, "w") as out:
        json.dump({"metrics": points}, out, separators=(",", ":"))
    for path in args.tsv:
        with open(path, "w") as out:
            for _ in range(args.tsv_copies):
                for p in points:
                    out.write("\t".join([
                        str(uuid.uuid4()), p["service_name"], p["metric_type"],
                        repr(p["metric_value"]), p["unit"], p["timestamp"],
                        json.dumps(p["metadata"], separators=(",", ":")),
                    ]) + "\n")


if __name__ == "__main__":
    main()
