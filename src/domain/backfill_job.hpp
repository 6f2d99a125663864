#pragma once
// A backfill job as the API shows it (api.md, "Backfill jobs"), its status, and its JSON form.
// The store fills BackfillJob from rows; the API renders it with to_json.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

enum class BackfillStatus { running, paused, completed, failed };

// "running", "paused", "completed", "failed".
std::string_view to_string(BackfillStatus status);
std::optional<BackfillStatus> parse_backfill_status(std::string_view text);

// completed and failed jobs are ended: nothing changes them any more.
constexpr bool is_ended(BackfillStatus status) {
  return status == BackfillStatus::completed || status == BackfillStatus::failed;
}

// api.md: "the configured stall time (default 10 minutes)".
inline constexpr std::chrono::microseconds kDefaultStallAfter = std::chrono::minutes{10};

struct BackfillJob {
  Uuid id;
  std::string job_type;
  std::int64_t start_block = 0;
  std::int64_t end_block = 0;
  std::int64_t current_block = 0;
  BackfillStatus status = BackfillStatus::running;
  double progress_percentage = 0;
  std::optional<Timestamp> estimated_completion;
  std::optional<std::string> error_message;
  Timestamp started_at{};
  // The time of the last change of any kind (progress, pause, resume, ...).
  Timestamp updated_at{};
  // When the job ended (completed or failed).
  std::optional<Timestamp> completed_at;
  std::optional<std::string> created_by;
  std::int64_t version = 1;

  bool operator==(const BackfillJob&) const = default;
};

// A running job with no change for longer than `stall_after`. For a running job the last change is
// its last progress, or its resume or start if there was no progress since: a job just resumed is
// not stale.
bool is_stale(const BackfillJob& job, Timestamp now,
              std::chrono::microseconds stall_after = kDefaultStallAfter);

// {id, job_type, start_block, end_block, current_block, status, progress_percentage,
//  estimated_completion, error_message, started_at, updated_at, completed_at, created_by, version,
//  stale}; stale as of `now`.
boost::json::object to_json(const BackfillJob& job, Timestamp now,
                            std::chrono::microseconds stall_after = kDefaultStallAfter);

// Reads back what to_json wrote (e.g. from a cache); `stale` is ignored since it depends on the
// time of reading. nullopt when a member is missing or malformed.
std::optional<BackfillJob> backfill_job_from_json(const boost::json::object& object);

}  // namespace utxoiq::domain
