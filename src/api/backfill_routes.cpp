// Handlers and OpenAPI descriptions of the backfill endpoints (see backfill_routes.hpp).
// Writes are `writer` routes, reads `reader` ones (api.md, "Authentication and roles").
#include "api/backfill_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/request_values.hpp"
#include "domain/backfill_requests.hpp"
#include "http/json_body.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

namespace {

using http::Request;
using http::Response;
using store::JobWrite;

constexpr std::string_view kBase = "/api/v1/monitoring/backfill";

std::string path(std::string_view rest) {
  return std::string(kBase) + std::string(rest);
}

Response job_response(int status, const domain::BackfillJob& job, const BackfillRoutesDeps& deps) {
  return http::json_response(status, domain::to_json(job, now_utc(), deps.stall_after));
}

// The answer to a life-cycle change: the job, or the problem the store reported.
Response write_response(JobWrite write, const BackfillRoutesDeps& deps) {
  switch (write.outcome) {
    case JobWrite::Outcome::applied:
      return job_response(200, write.job, deps);
    case JobWrite::Outcome::not_found:
      throw http::not_found("No backfill job with this id.");
    case JobWrite::Outcome::conflict:
      throw http::conflict(std::move(write.detail));
    case JobWrite::Outcome::invalid:
      throw http::unprocessable(std::move(write.errors));
  }
  throw http::internal_error();
}

Uuid job_id_of(const Request& request) {
  return valid_or_422(domain::parse_job_id(request.param("job_id")));
}

void describe(ApiDocs& docs) {
  docs.add_schema("BackfillJob", R"({
    "type": "object",
    "required": ["id", "job_type", "start_block", "end_block", "current_block", "status",
                 "progress_percentage", "estimated_completion", "error_message", "started_at",
                 "updated_at", "completed_at", "created_by", "version", "stale"],
    "properties": {
      "id": {"type": "string", "format": "uuid"},
      "job_type": {"type": "string", "pattern": "^[a-z0-9_]{1,50}$"},
      "start_block": {"type": "integer", "minimum": 0},
      "end_block": {"type": "integer", "minimum": 0},
      "current_block": {"type": "integer", "minimum": 0},
      "status": {"enum": ["running", "paused", "completed", "failed"]},
      "progress_percentage": {"type": "number", "minimum": 0, "maximum": 100},
      "estimated_completion": {"type": ["string", "null"], "format": "date-time"},
      "error_message": {"type": ["string", "null"]},
      "started_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"},
      "completed_at": {"type": ["string", "null"], "format": "date-time"},
      "created_by": {"type": ["string", "null"], "maxLength": 100},
      "version": {"type": "integer", "minimum": 1},
      "stale": {"type": "boolean"}
    }})");
  const std::string job = R"({"$ref": "#/components/schemas/BackfillJob"})";
  const ParamDoc job_id{.name = "job_id", .schema = R"({"type": "string", "format": "uuid"})"};
  docs.describe("backfill_start", {.summary = "Start a backfill job (status running)",
                                   .request = R"({
    "type": "object", "required": ["job_type", "start_block", "end_block"],
    "properties": {
      "job_type": {"type": "string", "pattern": "^[a-z0-9_]{1,50}$"},
      "start_block": {"type": "integer", "minimum": 0},
      "end_block": {"type": "integer", "minimum": 0},
      "created_by": {"type": ["string", "null"], "maxLength": 100}}})",
                                   .status = 201,
                                   .response = job,
                                   .problems = {400, 413, 422}});
  docs.describe("backfill_progress",
                {.summary = "Report a job's progress",
                 .description = "progress_percentage is computed from the blocks and "
                                "estimated_completion from the observed rate when absent; "
                                "expected_version that does not match gets 409.",
                 .request = R"({
    "type": "object", "required": ["job_id", "current_block"],
    "properties": {
      "job_id": {"type": "string", "format": "uuid"},
      "current_block": {"type": "integer", "minimum": 0},
      "progress_percentage": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
      "estimated_completion": {"type": ["string", "null"], "format": "date-time"},
      "expected_version": {"type": ["integer", "null"], "minimum": 1}}})",
                 .response = job,
                 .problems = {400, 404, 409, 413, 422}});
  docs.describe("backfill_complete", {.summary = "Mark a job completed",
                                      .path = {job_id},
                                      .response = job,
                                      .problems = {404, 409, 422}});
  docs.describe("backfill_fail", {.summary = "Mark a job failed with its error message",
                                  .path = {job_id},
                                  .request = R"({
    "type": "object", "required": ["error_message"],
    "properties": {"error_message": {"type": "string", "minLength": 1, "maxLength": 10000}}})",
                                  .response = job,
                                  .problems = {400, 404, 409, 413, 422}});
  docs.describe("backfill_pause", {.summary = "Pause a running job",
                                   .path = {job_id},
                                   .response = job,
                                   .problems = {404, 409, 422}});
  docs.describe("backfill_resume", {.summary = "Resume a paused job",
                                    .path = {job_id},
                                    .response = job,
                                    .problems = {404, 409, 422}});
  docs.describe("backfill_status",
                {.summary = "List jobs, newest started_at first",
                 .query = {{.name = "status",
                            .schema = R"({"enum": ["running", "paused", "completed", "failed"]})"},
                           {.name = "job_type", .schema = R"({"type": "string"})"},
                           {.name = "limit",
                            .schema = R"({"type": "integer", "minimum": 1, "maximum": 500})"},
                           {.name = "cursor"}},
                 .response = R"({"type": "object", "required": ["jobs", "next_cursor"],
    "properties": {"jobs": {"type": "array", "items": {"$ref": "#/components/schemas/BackfillJob"}},
                   "next_cursor": {"type": ["string", "null"]}}})",
                 .problems = {422}});
  docs.describe("backfill_get",
                {.summary = "One job", .path = {job_id}, .response = job, .problems = {404, 422}});
}

}  // namespace

void add_backfill_routes(http::Router& router, BackfillRoutesDeps deps, ApiDocs& docs) {
  describe(docs);
  // Every write needs the writer role.
  const auto named = [](std::string name) {
    http::RouteOptions options;
    options.name = std::move(name);
    options.min_role = http::Role::writer;
    return options;
  };

  router.post(
      path("/start"),
      [deps](Request& request) -> Task<Response> {
        const auto start = valid_or_422(domain::parse_start_job(http::parse_json_object(request)));
        const domain::BackfillJob job = co_await deps.writer.start(start);
        co_return job_response(201, job, deps);
      },
      named("backfill_start"));

  router.post(
      path("/progress"),
      [deps](Request& request) -> Task<Response> {
        const auto update =
            valid_or_422(domain::parse_progress_update(http::parse_json_object(request)));
        co_return write_response(co_await deps.writer.progress(update), deps);
      },
      named("backfill_progress"));

  router.post(
      path("/{job_id}/complete"),
      [deps](Request& request) -> Task<Response> {
        const Uuid id = job_id_of(request);
        co_return write_response(co_await deps.writer.complete(id), deps);
      },
      named("backfill_complete"));

  router.post(
      path("/{job_id}/fail"),
      [deps](Request& request) -> Task<Response> {
        // Both the path and the body are checked before anything is looked up, so a request
        // with a bad id and a bad body names both.
        auto id = domain::parse_job_id(request.param("job_id"));
        auto body = domain::parse_fail_job(http::parse_json_object(request));
        if (!id.ok() || !body.ok()) {
          FieldErrors errors = id.errors();
          errors.insert(errors.end(), body.errors().begin(), body.errors().end());
          throw http::unprocessable(std::move(errors));
        }
        co_return write_response(co_await deps.writer.fail(id.value(), body.value()), deps);
      },
      named("backfill_fail"));

  router.post(
      path("/{job_id}/pause"),
      [deps](Request& request) -> Task<Response> {
        const Uuid id = job_id_of(request);
        co_return write_response(co_await deps.writer.pause(id), deps);
      },
      named("backfill_pause"));

  router.post(
      path("/{job_id}/resume"),
      [deps](Request& request) -> Task<Response> {
        const Uuid id = job_id_of(request);
        co_return write_response(co_await deps.writer.resume(id), deps);
      },
      named("backfill_resume"));

  router.get(path("/status"),
             [deps](Request& request) -> Task<Response> {
               const auto query =
                   valid_or_422(domain::parse_backfill_list_query(query_of(request)));
               const store::BackfillJobPage page = co_await deps.lister.list(query);
               const Timestamp now = now_utc();
               boost::json::array jobs;
               jobs.reserve(page.jobs.size());
               for (const auto& job : page.jobs)
                 jobs.push_back(domain::to_json(job, now, deps.stall_after));
               co_return http::json_response(
                   200, boost::json::object{{"jobs", std::move(jobs)},
                                            {"next_cursor", json_next_cursor(page.next)}});
             },
             {.name = "backfill_status"});

  router.get(path("/{job_id}"),
             [deps](Request& request) -> Task<Response> {
               const Uuid id = job_id_of(request);
               const auto job = co_await deps.reader.get(id);
               if (!job) throw http::not_found("No backfill job with this id.");
               co_return job_response(200, *job, deps);
             },
             {.name = "backfill_get"});
}

}  // namespace utxoiq::api
