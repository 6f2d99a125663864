// Validation of the backfill requests.
#include "domain/backfill_requests.hpp"

#include "domain/json_fields.hpp"
#include "domain/query_fields.hpp"

namespace utxoiq::domain {

Validated<StartJob> parse_start_job(const boost::json::object& body) {
  FieldErrors errors;
  JsonFields fields(body, errors);
  StartJob job;
  auto job_type = fields.text("job_type", Presence::required, kJobTypeRule);
  auto start = fields.integer("start_block", Presence::required, 0);
  auto end = fields.integer("end_block", Presence::required, 0);
  job.created_by = fields.text("created_by", Presence::optional, kCreatedByRule);
  if (start && end && *start > *end) {
    fields.fail("start_block", "must not be greater than end_block");
  }
  if (!errors.empty()) return errors;
  job.job_type = std::move(*job_type);
  job.start_block = *start;
  job.end_block = *end;
  return job;
}

Validated<ProgressUpdate> parse_progress_update(const boost::json::object& body) {
  FieldErrors errors;
  JsonFields fields(body, errors);
  ProgressUpdate update;
  auto job_id = fields.uuid("job_id", Presence::required);
  auto current = fields.integer("current_block", Presence::required, 0);
  update.progress_percentage = fields.number("progress_percentage", Presence::optional, 0, 100);
  update.estimated_completion = fields.timestamp("estimated_completion", Presence::optional);
  update.expected_version = fields.integer("expected_version", Presence::optional, 1);
  if (!errors.empty()) return errors;
  update.job_id = *job_id;
  update.current_block = *current;
  return update;
}

Validated<FailJob> parse_fail_job(const boost::json::object& body) {
  FieldErrors errors;
  JsonFields fields(body, errors);
  auto message = fields.text("error_message", Presence::required, kErrorMessageRule);
  if (!errors.empty()) return errors;
  return FailJob{std::move(*message)};
}

Validated<Uuid> parse_job_id(std::string_view path_segment) {
  if (auto id = Uuid::parse(path_segment)) return *id;
  return FieldErrors{{"job_id", "must be a UUID"}};
}

Validated<BackfillListQuery> parse_backfill_list_query(const QueryParams& params) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  BackfillListQuery query;
  if (auto status = fields.raw("status", Presence::optional)) {
    query.status = parse_backfill_status(*status);
    if (!query.status) fields.fail("status", "must be one of running, paused, completed, failed");
  }
  query.job_type = fields.text("job_type", Presence::optional, kJobTypeRule);
  query.page = read_page(fields, CursorKind::backfill_jobs);
  if (!errors.empty()) return errors;
  return query;
}

}  // namespace utxoiq::domain
