// The backfill routes (see backfill_routes.hpp), declared in one table: method, path, role,
// documentation and handler of each. Writes are `writer` routes, reads `reader` ones (api.md,
// "Authentication and roles").
#include "api/backfill_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/cached_backfill_jobs.hpp"
#include "api/capped_page.hpp"
#include "api/request_values.hpp"
#include "api/route_table.hpp"
#include "api/schema.hpp"
#include "domain/backfill_requests.hpp"
#include "http/json_body.hpp"
#include "http/response.hpp"

namespace utxoiq::api {

namespace {

namespace json = boost::json;
using store::JobWrite;

constexpr std::string_view kBase = "/api/v1/monitoring/backfill";
// A well-formed id for the examples (no such job: the examples test accepts 404).
constexpr const char* kJobIdExample = "01900000-0000-7000-8000-000000000000";

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

Task<Response> list_jobs(const BackfillRoutesDeps& deps, const Request& request) {
  const auto query = valid_or_422(domain::parse_backfill_list_query(query_of(request)));
  const store::BackfillJobPage page = co_await deps.lister.list(query);
  const Timestamp now = now_utc();
  co_return http::json_text_response(
      200,
      render_capped_page(
          "jobs", page.jobs, page.next,
          [&](std::string& out, const domain::BackfillJob& job) {
            append_object(out, domain::to_json(job, now, deps.stall_after));
          },
          [](const domain::BackfillJob& job) {
            return domain::KeysetCursor{domain::CursorKind::backfill_jobs, job.started_at, job.id};
          }));
}

json::object status_schema() {
  return schema::enum_of({"running", "paused", "completed", "failed"});
}

void add_schemas(ApiDocs& docs) {
  const auto block = schema::integer(0);
  const auto time = schema::formatted("date-time");
  docs.add_schema(
      "BackfillJob",
      schema::object({"id", "job_type", "start_block", "end_block", "current_block", "status",
                      "progress_percentage", "estimated_completion", "error_message", "started_at",
                      "updated_at", "completed_at", "created_by", "version", "stale"},
                     {{"id", schema::formatted("uuid")},
                      {"job_type", schema::text(domain::kJobTypeRule)},
                      {"start_block", block},
                      {"end_block", block},
                      {"current_block", block},
                      {"status", status_schema()},
                      {"progress_percentage", schema::number(0, 100)},
                      {"estimated_completion", schema::nullable(time)},
                      {"error_message", schema::nullable(schema::text(domain::kErrorMessageRule))},
                      {"started_at", time},
                      {"updated_at", time},
                      {"completed_at", schema::nullable(time)},
                      {"created_by", schema::nullable(schema::text(domain::kCreatedByRule))},
                      {"version", schema::integer(1)},
                      {"stale", schema::boolean()}}));
}

ParamDoc job_id_param() {
  return {.name = "job_id", .schema = schema::formatted("uuid"), .example = kJobIdExample};
}

// The documentation of POST {job_id}/<change>.
RouteDoc change_doc(std::string summary) {
  return {.summary = std::move(summary),
          .path = {job_id_param()},
          .replies = {{.schema = schema::ref("BackfillJob")}},
          .problems = {404, 409, 422}};
}

// POST {job_id}/<change>: the job after `change`, a member of the writer taking only the id.
using JobTransition = Task<JobWrite> (store::BackfillJobWriter::*)(const Uuid&);
RouteSpec change_route(const BackfillRoutesDeps& deps, std::string_view change, std::string summary,
                       JobTransition transition) {
  return {.method = Method::post,
          .path = path("/{job_id}/" + std::string(change)),
          .name = "backfill_" + std::string(change),
          .access = kWriters,
          .doc = change_doc(std::move(summary)),
          .handler = [deps, transition](Request& request) -> Task<Response> {
            const Uuid id = job_id_of(request);
            co_return write_response(co_await (deps.writer.*transition)(id), deps);
          }};
}

std::vector<RouteSpec> backfill_table(BackfillRoutesDeps deps) {
  const auto job = schema::ref("BackfillJob");
  RouteDoc fail_doc = change_doc("Mark a job failed with its error message");
  fail_doc.request = schema::object({"error_message"},
                                    {{"error_message", schema::text(domain::kErrorMessageRule)}});
  fail_doc.request_example = {{"error_message", "node unreachable at block 812000"}};
  return {
      {.method = Method::post,
       .path = path("/start"),
       .name = "backfill_start",
       .access = kWriters,
       .doc = {.summary = "Start a backfill job (status running)",
               .request = schema::object(
                   {"job_type", "start_block", "end_block"},
                   {{"job_type", schema::text(domain::kJobTypeRule)},
                    {"start_block", schema::integer(0)},
                    {"end_block", schema::integer(0)},
                    {"created_by", schema::nullable(schema::text(domain::kCreatedByRule))}}),
               .request_example = {{"job_type", "utxo_snapshot"},
                                   {"start_block", 800000},
                                   {"end_block", 800100}},
               .replies = {{.status = 201, .description = "Created", .schema = job}},
               .problems = {422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const auto start = valid_or_422(domain::parse_start_job(http::parse_json_object(request)));
         co_return job_response(201, co_await deps.writer.start(start), deps);
       }},
      {.method = Method::post,
       .path = path("/progress"),
       .name = "backfill_progress",
       .access = kWriters,
       .doc = {.summary = "Report a job's progress",
               .description = "progress_percentage is computed from the blocks and "
                              "estimated_completion from the observed rate when absent; "
                              "expected_version that does not match gets 409.",
               .request = schema::object(
                   {"job_id", "current_block"},
                   {{"job_id", schema::formatted("uuid")},
                    {"current_block", schema::integer(0)},
                    {"progress_percentage", schema::nullable(schema::number(0, 100))},
                    {"estimated_completion", schema::nullable(schema::formatted("date-time"))},
                    {"expected_version", schema::nullable(schema::integer(1))}}),
               .request_example = {{"job_id", kJobIdExample}, {"current_block", 800050}},
               .replies = {{.schema = job}},
               .problems = {404, 409, 422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const auto update =
             valid_or_422(domain::parse_progress_update(http::parse_json_object(request)));
         co_return write_response(co_await deps.writer.progress(update), deps);
       }},
      change_route(deps, "complete", "Mark a job completed", &store::BackfillJobWriter::complete),
      {.method = Method::post,
       .path = path("/{job_id}/fail"),
       .name = "backfill_fail",
       .access = kWriters,
       .doc = std::move(fail_doc),
       .handler = [deps](Request& request) -> Task<Response> {
         auto id = domain::parse_job_id(request.param("job_id"));
         auto body = domain::parse_fail_job(http::parse_json_object(request));
         all_valid_or_422(id, body);
         co_return write_response(co_await deps.writer.fail(id.value(), body.value()), deps);
       }},
      change_route(deps, "pause", "Pause a running job", &store::BackfillJobWriter::pause),
      change_route(deps, "resume", "Resume a paused job", &store::BackfillJobWriter::resume),
      {.method = Method::get,
       .path = path("/status"),
       .name = "backfill_status",
       .access = kReaders,
       .doc = {.summary = "List jobs, newest started_at first",
               .query = with_paging({{.name = "status", .schema = status_schema()},
                                     {.name = "job_type",
                                      .schema = schema::text(domain::kJobTypeRule),
                                      .example = "utxo_snapshot"}}),
               .replies = {{.schema = schema::page("jobs", job)}},
               .problems = {422}},
       .handler = [deps](Request& request) { return list_jobs(deps, request); }},
      {.method = Method::get,
       .path = path("/{job_id}"),
       .name = "backfill_get",
       .access = kReaders,
       .doc = {.summary = "One job",
               .path = {job_id_param()},
               .replies = {{.schema = job}},
               .problems = {404, 422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const auto found = co_await deps.reads.get(job_id_of(request));
         if (!found) throw http::not_found("No backfill job with this id.");
         co_return job_response(200, *found, deps);
       }},
  };
}

}  // namespace

void add_backfill_routes(http::Router& router, BackfillRoutesDeps deps, ApiDocs& docs) {
  add_schemas(docs);
  add_routes(router, docs, backfill_table(deps));
}

}  // namespace utxoiq::api
