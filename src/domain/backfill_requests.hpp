#pragma once
// The requests of the backfill endpoints (api.md, "Backfill jobs") and their validation. Each
// parse_* returns the typed request or every invalid field at once.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/backfill_job.hpp"
#include "domain/page.hpp"
#include "domain/query_params.hpp"
#include "domain/text_rule.hpp"
#include "domain/validated.hpp"
#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

inline constexpr TextRule kJobTypeRule{1, 50, Charset::lower_identifier};
inline constexpr TextRule kCreatedByRule{0, 100, Charset::any};
inline constexpr TextRule kErrorMessageRule{1, 10'000, Charset::any};

// POST /api/v1/monitoring/backfill/start
struct StartJob {
  std::string job_type;
  std::int64_t start_block = 0;
  std::int64_t end_block = 0;
  std::optional<std::string> created_by;  // absent or null: none
};
// job_type 1–50 of [a-z0-9_]; 0 <= start_block <= end_block (an inverted range is reported on
// start_block); created_by at most 100 characters.
Validated<StartJob> parse_start_job(const boost::json::object& body);

// POST /api/v1/monitoring/backfill/progress
struct ProgressUpdate {
  Uuid job_id;
  std::int64_t current_block = 0;
  std::optional<double> progress_percentage;      // absent: computed from the blocks
  std::optional<Timestamp> estimated_completion;  // absent: estimated from the observed rate
  std::optional<std::int64_t> expected_version;   // absent: no optimistic-lock check
};
// job_id a UUID; current_block an integer >= 0 (its range against the job is checked by
// apply_progress); progress_percentage a finite number 0–100; estimated_completion RFC 3339 with an
// offset; expected_version an integer >= 1. Optional members may be null (= absent).
Validated<ProgressUpdate> parse_progress_update(const boost::json::object& body);

// POST /api/v1/monitoring/backfill/{job_id}/fail
struct FailJob {
  std::string error_message;
};
// error_message 1–10,000 characters.
Validated<FailJob> parse_fail_job(const boost::json::object& body);

// The {job_id} path segment of /backfill/{job_id}[/...]; errors name the field "job_id".
Validated<Uuid> parse_job_id(std::string_view path_segment);

// GET /api/v1/monitoring/backfill/status?status=&job_type=&limit=&cursor=
struct BackfillListQuery {
  std::optional<BackfillStatus> status;
  std::optional<std::string> job_type;
  PageRequest page;  // cursor kind backfill_jobs; newest started_at first
};
// status one of running|paused|completed|failed; job_type as in StartJob; limit 1–500 (default 50).
Validated<BackfillListQuery> parse_backfill_list_query(const QueryParams& params);

}  // namespace utxoiq::domain
