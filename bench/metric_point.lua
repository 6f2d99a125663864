-- POST /api/v1/monitoring/metrics, one point per request (the single-point write): 50 series of one
-- service, the value moving with the request count, so every request inserts a row and updates
-- its series' hourly rollup and latest value.
local key = os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"service_name":"bench-points","metric_type":"series-%d","metric_value":%d.5,"unit":"pct"}',
      counter % 50, counter % 1000)
  return wrk.format("POST", "/api/v1/monitoring/metrics",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
