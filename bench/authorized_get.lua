-- wrk script for bench/queries.sh: GETs the URL given to wrk with the bench's admin key and
-- reports one line, REPORT <requests/s> <p50 ms> <p99 ms> <errors> (socket errors and non-2xx).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status
  io.write(string.format("REPORT %.0f %.3f %.3f %d\n", summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
