-- wrk script for bench/ingest.sh: POSTs the prepared batch ($BATCH_FILE, $BATCH_ROWS points) to
-- /api/v1/monitoring/metrics/batch and reports one line,
--   REPORT <requests/s> <p50 ms> <p99 ms> <errors> <rows/s>
-- where errors counts socket errors and non-2xx responses.
local file = assert(io.open(os.getenv("BATCH_FILE"), "rb"))
local body = file:read("*a")
file:close()
local rows = tonumber(os.getenv("BATCH_ROWS"))

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status
  local ok = summary.requests - summary.errors.status
  io.write(string.format("REPORT %.2f %.3f %.3f %d %.0f\n", summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, ok * rows / secs))
end
