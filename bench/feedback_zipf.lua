-- A skewed read workload on feedback statistics (issue 5): GET /api/v1/feedback/stats for one of
-- 10,000 insights drawn from a Zipf distribution (exponent 0.99: a few insights are asked for
-- most of the time), and 1% writes (POST /feedback/rate on an insight drawn the same way, a new
-- user each time), which invalidate that insight's cached statistics. ZIPF_WRITE_SHARE sets another
-- share of writes (0: reads only).
local key = os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")
local insights, exponent = 10000, 0.99
local write_share = tonumber(os.getenv("ZIPF_WRITE_SHARE") or "0.01")
local cumulative = {}
local counter = 0
local prefix = tostring(math.random(1, 1000000000))

init = function(args)
  math.randomseed(os.time() + tonumber(prefix))
  local total = 0
  for i = 1, insights do
    total = total + 1 / (i ^ exponent)
    cumulative[i] = total
  end
  for i = 1, insights do cumulative[i] = cumulative[i] / total end
end

-- The rank of a uniform draw in the cumulative distribution (binary search).
local function zipf()
  local u, lo, hi = math.random(), 1, insights
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < u then lo = mid + 1 else hi = mid end
  end
  return lo
end

local headers = {["Authorization"] = "Bearer " .. key}
local post_headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}

request = function()
  counter = counter + 1
  local insight = zipf()
  if math.random() < write_share then
    local body = string.format('{"insight_id":"zipf-%d","user_id":"zipf-user-%s-%d","rating":%d}',
        insight, prefix, counter, counter % 5 + 1)
    return wrk.format("POST", "/api/v1/feedback/rate", post_headers, body)
  end
  return wrk.format("GET", "/api/v1/feedback/stats?insight_id=zipf-" .. insight, headers)
end
