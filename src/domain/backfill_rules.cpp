// Backfill job life cycle rules; see the header.
#include "domain/backfill_rules.hpp"

#include <algorithm>

#include "util/rfc3339.hpp"

namespace utxoiq::domain {

namespace {

std::string_view action_name(BackfillAction action) {
  switch (action) {
    case BackfillAction::progress:
      return "progress";
    case BackfillAction::complete:
      return "complete";
    case BackfillAction::fail:
      return "fail";
    case BackfillAction::pause:
      return "pause";
    case BackfillAction::resume:
      return "resume";
  }
  return "change";
}

JobChange conflict(std::string detail) {
  JobChange change;
  change.outcome = JobChange::Outcome::conflict;
  change.detail = std::move(detail);
  return change;
}

// Checks the transition and, when allowed, returns the job with the new status, updated_at and
// version; the caller sets the fields particular to the action.
JobChange begin_change(const BackfillJob& job, BackfillAction action, Timestamp now) {
  const auto next = status_after(job.status, action);
  if (!next) {
    return conflict("cannot " + std::string(action_name(action)) + " a job that is " +
                    std::string(to_string(job.status)));
  }
  JobChange change;
  change.job = job;
  change.job.status = *next;
  change.job.updated_at = now;
  change.job.version = job.version + 1;
  return change;
}

}  // namespace

std::optional<BackfillStatus> status_after(BackfillStatus from, BackfillAction action) {
  using enum BackfillStatus;
  if (is_ended(from)) return std::nullopt;
  switch (action) {
    case BackfillAction::progress:
      return from == running ? std::optional(running) : std::nullopt;
    case BackfillAction::complete:
      return completed;
    case BackfillAction::fail:
      return failed;
    case BackfillAction::pause:
      return from == running ? std::optional(paused) : std::nullopt;
    case BackfillAction::resume:
      return from == paused ? std::optional(running) : std::nullopt;
  }
  return std::nullopt;
}

double progress_from_blocks(std::int64_t start_block, std::int64_t current_block,
                            std::int64_t end_block) {
  if (end_block <= start_block) return 100.0;
  const std::int64_t current = std::clamp(current_block, start_block, end_block);
  // long double: the differences of two int64 can exceed int64.
  const long double done = static_cast<long double>(current) - start_block;
  const long double total = static_cast<long double>(end_block) - start_block;
  return static_cast<double>(done / total * 100.0L);
}

std::optional<Timestamp> estimate_completion(std::int64_t from_block, Timestamp from_time,
                                             std::int64_t to_block, Timestamp to_time,
                                             std::int64_t end_block) {
  if (to_block >= end_block) return to_time;
  const __int128 done = static_cast<__int128>(to_block) - from_block;
  const __int128 elapsed = static_cast<__int128>((to_time - from_time).count());
  if (done <= 0 || elapsed <= 0) return std::nullopt;
  const __int128 remaining = static_cast<__int128>(end_block) - to_block;
  // remaining and elapsed are each below 2^64, so the product fits in 128 bits.
  const __int128 remaining_us = remaining * elapsed / done;
  const __int128 headroom = static_cast<__int128>((kMaxTimestamp - to_time).count());
  if (remaining_us > headroom) return std::nullopt;
  return to_time + std::chrono::microseconds{static_cast<std::int64_t>(remaining_us)};
}

BackfillJob new_backfill_job(const StartJob& request, const Uuid& id, Timestamp now) {
  BackfillJob job;
  job.id = id;
  job.job_type = request.job_type;
  job.start_block = request.start_block;
  job.end_block = request.end_block;
  job.current_block = request.start_block;
  job.status = BackfillStatus::running;
  job.progress_percentage = 0;
  job.started_at = now;
  job.updated_at = now;
  job.created_by = request.created_by;
  job.version = 1;
  return job;
}

JobChange apply_progress(const BackfillJob& job, const ProgressUpdate& update, Timestamp now) {
  JobChange change = begin_change(job, BackfillAction::progress, now);
  if (change.outcome != JobChange::Outcome::applied) return change;
  if (update.expected_version && *update.expected_version != job.version) {
    return conflict("expected_version " + std::to_string(*update.expected_version) +
                    " does not match the job's version " + std::to_string(job.version));
  }
  const std::int64_t block = update.current_block;
  if (block < job.start_block || block > job.end_block) {
    change.errors.push_back(
        {"current_block", "must lie between start_block (" + std::to_string(job.start_block) +
                              ") and end_block (" + std::to_string(job.end_block) + ")"});
  } else if (block < job.current_block) {
    change.errors.push_back({"current_block", "must not go below the stored current_block (" +
                                                  std::to_string(job.current_block) + ")"});
  }
  if (!change.errors.empty()) {
    change.outcome = JobChange::Outcome::invalid;
    change.job = job;
    return change;
  }
  BackfillJob& next = change.job;
  next.current_block = block;
  next.progress_percentage = update.progress_percentage.value_or(
      progress_from_blocks(job.start_block, block, job.end_block));
  next.estimated_completion =
      update.estimated_completion
          ? update.estimated_completion
          : estimate_completion(job.start_block, job.started_at, block, now, job.end_block);
  return change;
}

JobChange apply_complete(const BackfillJob& job, Timestamp now) {
  JobChange change = begin_change(job, BackfillAction::complete, now);
  if (change.outcome != JobChange::Outcome::applied) return change;
  change.job.completed_at = now;
  change.job.current_block = job.end_block;
  change.job.progress_percentage = 100.0;
  change.job.estimated_completion.reset();
  return change;
}

JobChange apply_fail(const BackfillJob& job, const FailJob& request, Timestamp now) {
  JobChange change = begin_change(job, BackfillAction::fail, now);
  if (change.outcome != JobChange::Outcome::applied) return change;
  change.job.error_message = request.error_message;
  change.job.completed_at = now;
  change.job.estimated_completion.reset();
  return change;
}

JobChange apply_pause(const BackfillJob& job, Timestamp now) {
  return begin_change(job, BackfillAction::pause, now);
}

JobChange apply_resume(const BackfillJob& job, Timestamp now) {
  return begin_change(job, BackfillAction::resume, now);
}

}  // namespace utxoiq::domain
