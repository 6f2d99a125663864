-- Every read a cache miss (issue 15, the cost of a miss): GET /api/v1/feedback/stats for an
-- insight never asked for before (a counter in the id), so each request goes past L1 and L2 to
-- PostgreSQL and fills both levels. The Zipf workload's first reads and the reads after a write
-- take this path.
local key = os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")
local counter = 0
local prefix = tostring(math.random(1, 1000000000))
local headers = {["Authorization"] = "Bearer " .. key}
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/feedback/stats?insight_id=miss-" .. prefix .. "-" .. counter,
      headers)
end
