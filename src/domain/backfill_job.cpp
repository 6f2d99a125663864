// Backfill job status names and JSON form.
#include "domain/backfill_job.hpp"

#include <cmath>

#include "domain/json_fields.hpp"
#include "domain/json_out.hpp"

namespace utxoiq::domain {

std::string_view to_string(BackfillStatus status) {
  switch (status) {
    case BackfillStatus::running:
      return "running";
    case BackfillStatus::paused:
      return "paused";
    case BackfillStatus::completed:
      return "completed";
    case BackfillStatus::failed:
      return "failed";
  }
  return "running";
}

std::optional<BackfillStatus> parse_backfill_status(std::string_view text) {
  if (text == "running") return BackfillStatus::running;
  if (text == "paused") return BackfillStatus::paused;
  if (text == "completed") return BackfillStatus::completed;
  if (text == "failed") return BackfillStatus::failed;
  return std::nullopt;
}

bool is_stale(const BackfillJob& job, Timestamp now, std::chrono::microseconds stall_after) {
  return job.status == BackfillStatus::running && now - job.updated_at > stall_after;
}

boost::json::object to_json(const BackfillJob& job, Timestamp now,
                            std::chrono::microseconds stall_after) {
  boost::json::object o;
  o.reserve(15);
  o.emplace("id", json_uuid(job.id));
  o.emplace("job_type", job.job_type);
  o.emplace("start_block", job.start_block);
  o.emplace("end_block", job.end_block);
  o.emplace("current_block", job.current_block);
  o.emplace("status", to_string(job.status));
  o.emplace("progress_percentage", job.progress_percentage);
  o.emplace("estimated_completion", json_timestamp(job.estimated_completion));
  o.emplace("error_message", json_text(job.error_message));
  o.emplace("started_at", json_timestamp(job.started_at));
  o.emplace("updated_at", json_timestamp(job.updated_at));
  o.emplace("completed_at", json_timestamp(job.completed_at));
  o.emplace("created_by", json_text(job.created_by));
  o.emplace("version", job.version);
  o.emplace("stale", is_stale(job, now, stall_after));
  return o;
}

std::optional<BackfillJob> backfill_job_from_json(const boost::json::object& o) {
  const auto integer = [&](std::string_view name) -> std::optional<std::int64_t> {
    const boost::json::value* v = o.if_contains(name);
    return v == nullptr ? std::nullopt : json_integer(*v);
  };
  BackfillJob job;
  const auto id = read_json_uuid(o.if_contains("id"));
  auto job_type = read_json_string(o.if_contains("job_type"));
  const auto start = integer("start_block");
  const auto end = integer("end_block");
  const auto current = integer("current_block");
  const auto status_text = read_json_string(o.if_contains("status"));
  const auto status = status_text ? parse_backfill_status(*status_text) : std::nullopt;
  const boost::json::value* progress = o.if_contains("progress_percentage");
  const auto estimated = read_json_nullable_timestamp(o.if_contains("estimated_completion"));
  auto error_message = read_json_nullable_string(o.if_contains("error_message"));
  const auto started = read_json_timestamp(o.if_contains("started_at"));
  const auto updated = read_json_timestamp(o.if_contains("updated_at"));
  const auto completed = read_json_nullable_timestamp(o.if_contains("completed_at"));
  auto created_by = read_json_nullable_string(o.if_contains("created_by"));
  const auto version = integer("version");
  if (!id || !job_type || !start || !end || !current || !status || progress == nullptr ||
      !progress->is_number() || !estimated || !error_message || !started || !updated ||
      !completed || !created_by || !version) {
    return std::nullopt;
  }
  job.id = *id;
  job.job_type = std::move(*job_type);
  job.start_block = *start;
  job.end_block = *end;
  job.current_block = *current;
  job.status = *status;
  job.progress_percentage = progress->to_number<double>();
  job.estimated_completion = *estimated;
  job.error_message = std::move(*error_message);
  job.started_at = *started;
  job.updated_at = *updated;
  job.completed_at = *completed;
  job.created_by = std::move(*created_by);
  job.version = *version;
  return job;
}

}  // namespace utxoiq::domain
