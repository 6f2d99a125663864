-- POST /api/v1/monitoring/backfill/progress (the progress report of a backfill worker): the jobs
-- case_backfill_progress started (their ids one a line in $BENCH_BACKFILL_JOBS) are reported on
-- in turn, so the requests in flight at one time are on distinct jobs (fewer connections than
-- jobs), and each job's current_block grows by one with each of its reports. A report on a job
-- issued after the job's previous one can still overtake it on another connection; it then gets
-- 422 (below the stored block) and counts as an error.
local key = os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")
local jobs, blocks = {}, {}
local counter = 0

init = function(args)
  for line in io.lines(os.getenv("BENCH_BACKFILL_JOBS")) do
    jobs[#jobs + 1] = line
    blocks[#jobs] = 0
  end
end

request = function()
  counter = counter + 1
  local j = counter % #jobs + 1
  blocks[j] = blocks[j] + 1
  local body = string.format('{"job_id":"%s","current_block":%d}', jobs[j], blocks[j])
  return wrk.format("POST", "/api/v1/monitoring/backfill/progress",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
