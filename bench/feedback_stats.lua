-- GET /api/v1/feedback/stats for 50 insights in turn (seeded by case_feedback_stats). All 50 stay
-- in the cache after their first read: this is the cost of a cache hit through the whole service
-- (authentication, routing, validation, L1, the response), to compare with /healthz.
local key = os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/feedback/stats?insight_id=stats-insight-" .. (counter % 50),
      {["Authorization"] = "Bearer " .. key})
end
