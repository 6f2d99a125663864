-- POST /api/v1/feedback/rate with a new (insight, user) pair on every request: 500 insights, a new
-- user each time, so each request inserts a record and updates its insight's aggregate row.
local key = os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")
local counter = 0
local prefix = tostring(math.random(1, 1000000000))
request = function()
  counter = counter + 1
  local body = string.format('{"insight_id":"bench-insight-%d","user_id":"bench-user-%s-%d","rating":%d}',
      counter % 500, prefix, counter, counter % 5 + 1)
  return wrk.format("POST", "/api/v1/feedback/rate",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
