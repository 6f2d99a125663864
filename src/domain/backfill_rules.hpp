#pragma once
// The rules of the backfill job life cycle (api.md, "Backfill jobs"), as pure functions: the store
// locks the job's row (SELECT ... FOR UPDATE), applies one of these and stores the result in the
// same transaction, so every instance follows the same rules and no change overwrites another.
//
//   running --pause--> paused --resume--> running
//   running|paused --complete--> completed      running|paused --fail--> failed
//   progress only while running; completed and failed are final (409 for anything).
//
// Every applied change sets updated_at to `now` and increases version by one.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/backfill_job.hpp"
#include "domain/backfill_requests.hpp"
#include "util/field_error.hpp"
#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

enum class BackfillAction { progress, complete, fail, pause, resume };

// The status after `action`, or nullopt when `from` does not allow it (409).
std::optional<BackfillStatus> status_after(BackfillStatus from, BackfillAction action);

// (current − start) / (end − start) × 100, and 100 when start == end. `current` is clamped into
// [start, end] first.
double progress_from_blocks(std::int64_t start_block, std::int64_t current_block,
                            std::int64_t end_block);

// When `end_block` will be reached if blocks keep coming at the rate observed between
// (from_block, from_time) and (to_block, to_time): to_time + (end − to) / rate. `to_time` itself
// when to_block >= end_block. nullopt when there is no rate yet (no blocks done or no time passed)
// or the estimate lies beyond kMaxTimestamp.
std::optional<Timestamp> estimate_completion(std::int64_t from_block, Timestamp from_time,
                                             std::int64_t to_block, Timestamp to_time,
                                             std::int64_t end_block);

// The job POST /backfill/start creates: running, current_block = start_block, progress 0,
// version 1, started_at = updated_at = now.
BackfillJob new_backfill_job(const StartJob& request, const Uuid& id, Timestamp now);

// The result of applying a change to a stored job, and of storing it (store/backfill_store.hpp).
struct JobChange {
  enum class Outcome {
    applied,    // `job` is the changed job, to be stored (by a store: as stored now)
    not_found,  // 404: no job with this id (a store's answer; the rules never give it)
    conflict,   // 409: `detail` says why (ended, paused, version mismatch)
    invalid,    // 422: `errors` names the fields (current_block out of range)
  };
  Outcome outcome = Outcome::applied;
  BackfillJob job;
  std::string detail;
  FieldErrors errors;
};

// Progress: 409 unless running, 409 when expected_version is given and differs from the job's;
// then 422 on current_block unless start_block <= current_block <= end_block and current_block
// >= the stored one (equal is fine). progress_percentage defaults to progress_from_blocks;
// estimated_completion defaults to the estimate from the average rate since the start
// (start_block at started_at to current_block at now), null while there is none.
JobChange apply_progress(const BackfillJob& job, const ProgressUpdate& update, Timestamp now);

// completed, completed_at = now, current_block = end_block, progress 100, estimate cleared.
JobChange apply_complete(const BackfillJob& job, Timestamp now);
// failed, error_message stored, completed_at = now (the time it ended), estimate cleared.
JobChange apply_fail(const BackfillJob& job, const FailJob& request, Timestamp now);
JobChange apply_pause(const BackfillJob& job, Timestamp now);
JobChange apply_resume(const BackfillJob& job, Timestamp now);

}  // namespace utxoiq::domain
