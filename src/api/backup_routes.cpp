// Handlers and OpenAPI descriptions of the backup endpoints (see backup_routes.hpp). Failures map
// to problems: BackupBusy 409, BackupNotFound 404, a failed backup 500 with its stage and cause
// (the route is admin only, and the operator needs the cause).
#include "api/backup_routes.hpp"

#include "api/route_table.hpp"
#include "api/schema.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/json_out.hpp"
#include "http/json_body.hpp"
#include "http/problem.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "util/uuid.hpp"

namespace utxoiq::api {
namespace {

constexpr std::string_view kBase = "/api/v1/monitoring/backup";

boost::json::value json_int(const std::optional<std::int64_t>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

boost::json::object backup_json(const ops::BackupRecord& r) {
  return {{"id", r.id},
          {"kind", r.kind},
          {"status", r.status},
          {"started_at", domain::json_timestamp(r.started_at)},
          {"finished_at", domain::json_timestamp(r.finished_at)},
          {"bytes", json_int(r.bytes)},
          {"location", domain::json_text(r.location)},
          {"mirror_location", domain::json_text(r.mirror_location)},
          {"sha256", domain::json_text(r.sha256)},
          {"verified_at", domain::json_timestamp(r.verified_at)},
          {"verify_result", domain::json_text(r.verify_result)},
          {"restore_ms", json_int(r.restore_ms)},
          {"failed_stage", domain::json_text(r.failed_stage)},
          {"error", domain::json_text(r.error)}};
}

// The backup to verify: the body's optional "id" (other members are ignored, api.md).
std::optional<std::string> verify_id(const Request& request) {
  if (request.body.empty()) return std::nullopt;
  const boost::json::object body = http::parse_json_object(request);
  const auto* value = body.if_contains("id");
  if (value == nullptr || value->is_null()) return std::nullopt;
  const auto parsed =
      value->is_string() ? Uuid::parse(std::string(value->as_string())) : std::nullopt;
  if (!parsed) throw http::unprocessable("id", "must be a backup id (a UUID)");
  return parsed->to_string();
}

// Runs an operation, mapping the backup exceptions to problems.
template <typename Work>
Task<Response> answering(Work work) {
  try {
    co_return co_await work();
  } catch (const ops::BackupBusy& e) {
    throw http::conflict(std::string(e.what()) + "; try again when it has finished.");
  } catch (const ops::BackupNotFound& e) {
    throw http::not_found(e.what());
  } catch (const ops::BackupFailure& e) {
    throw http::Problem(500, "backup " + e.stage() + " failed: " + e.what());
  }
}

boost::json::object backup_schema() {
  const auto text = schema::nullable(schema::string());
  const auto count = schema::nullable(schema::integer(0));
  const auto when = schema::nullable(schema::formatted("date-time"));
  return schema::object({"id", "kind", "status", "started_at", "finished_at", "bytes", "location",
                         "sha256", "verified_at", "verify_result"},
                        {{"id", schema::formatted("uuid")},
                         {"kind", schema::enum_of({"daily", "weekly"})},
                         {"status", schema::enum_of({"running", "succeeded", "failed"})},
                         {"started_at", schema::formatted("date-time")},
                         {"finished_at", when},
                         {"bytes", count},
                         {"location", text},
                         {"mirror_location", text},
                         {"sha256", text},
                         {"verified_at", when},
                         {"verify_result", schema::nullable(schema::enum_of({"passed", "failed"}))},
                         {"restore_ms", count},
                         {"failed_stage", text},
                         {"error", text}});
}

Task<Response> run_backup(const BackupRoutesDeps& deps) {
  const auto result = co_await deps.run();
  boost::json::array deleted(result.deleted.begin(), result.deleted.end());
  co_return http::json_response(200, boost::json::object{{"backup", backup_json(result.record)},
                                                         {"deleted", std::move(deleted)}});
}

Task<Response> verify_backup(const BackupRoutesDeps& deps, std::optional<std::string> id) {
  const auto result = co_await deps.verify(std::move(id));
  boost::json::array problems(result.problems.begin(), result.problems.end());
  co_return http::json_response(200, boost::json::object{{"backup", backup_json(result.record)},
                                                         {"passed", result.passed},
                                                         {"problems", std::move(problems)},
                                                         {"restore_ms", result.restore_ms}});
}

std::vector<RouteSpec> backup_table(BackupRoutesDeps deps) {
  const auto backup = backup_schema();
  const auto names = schema::array_of(schema::string());
  return {
      {.method = Method::post,
       .path = std::string(kBase) + "/run",
       .name = "backup_run",
       .access = kAdmins,
       .doc = {.summary = "Take a backup now",
               .description = "pg_dump of one snapshot, copied to the mirror, then GFS "
                              "retention. 409 while one runs.",
               .request = schema::object({}, {}),
               .request_example = boost::json::object{},
               .replies = {{.schema = schema::object({"backup", "deleted"},
                                                     {{"backup", backup}, {"deleted", names}})}},
               .problems = {409, 500}},
       .handler = [deps](Request& request) -> Task<Response> {
         // The run takes no fields, but a body that is not a JSON object is still a 400.
         if (!request.body.empty()) http::parse_json_object(request);
         co_return co_await answering([&deps] { return run_backup(deps); });
       }},
      {.method = Method::get,
       .path = std::string(kBase),
       .name = "backup_list",
       .access = kAdmins,
       .doc = {.summary = "The kept backups, newest first",
               .replies = {{.schema = schema::object({"backups"},
                                                     {{"backups", schema::array_of(backup)}})}}},
       .handler = [deps](Request&) -> Task<Response> {
         boost::json::array backups;
         for (const auto& record : co_await deps.list()) backups.push_back(backup_json(record));
         co_return http::json_response(200, boost::json::object{{"backups", std::move(backups)}});
       }},
      {.method = Method::post,
       .path = std::string(kBase) + "/verify",
       .name = "backup_verify",
       .access = kAdmins,
       .doc = {.summary = "Test-restore a backup (the newest by default)",
               .description = "Restores into a scratch database and compares every table with "
                              "the manifest. 409 while one runs.",
               .request = schema::object({}, {{"id", schema::formatted("uuid")}}),
               .request_example = boost::json::object{},
               .replies = {{.schema = schema::object({"backup", "passed", "problems", "restore_ms"},
                                                     {{"backup", backup},
                                                      {"passed", schema::boolean()},
                                                      {"problems", names},
                                                      {"restore_ms", schema::integer(0)}})}},
               .problems = {404, 409, 422, 500}},
       .handler = [deps](Request& request) -> Task<Response> {
         auto id = verify_id(request);
         co_return co_await answering([&deps, &id] { return verify_backup(deps, id); });
       }},
  };
}

}  // namespace

void add_backup_routes(http::Router& router, BackupRoutesDeps deps, ApiDocs& docs) {
  add_routes(router, docs, backup_table(std::move(deps)));
}

}  // namespace utxoiq::api
