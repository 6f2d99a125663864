# Benchmark cases for bench/run.sh: case_NAME BASE WORKDIR sets `path` (and optionally `lua`, a wrk
# script that includes bench/report.lua's reporter) after preparing any data the case needs.
case_healthz() { path=/healthz; }
case_readyz() { path=/readyz; }
case_metrics() { path=/metrics; }
