// Handlers and OpenAPI descriptions of the backup endpoints (see backup_routes.hpp). Failures map
// to problems: BackupBusy 409, BackupNotFound 404, a failed backup 500 with its stage and cause
// (the route is admin only, and the operator needs the cause).
#include "api/backup_routes.hpp"

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

using http::Request;
using http::Response;

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

// The body of a POST (none, or a JSON object) and the errors of its members not in `allowed`.
boost::json::object optional_body(const Request& request,
                                  std::initializer_list<std::string> allowed, FieldErrors& errors) {
  if (request.body.empty()) return {};
  boost::json::object body = http::parse_json_object(request);
  for (const auto& member : body) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
      errors.push_back({std::string(member.key()), "is not a field of this request"});
    }
  }
  return body;
}

void check_run_body(const Request& request) {
  FieldErrors errors;
  optional_body(request, {}, errors);
  if (!errors.empty()) throw http::unprocessable(std::move(errors));
}

std::optional<std::string> verify_id(const Request& request) {
  FieldErrors errors;
  const boost::json::object body = optional_body(request, {"id"}, errors);
  std::optional<std::string> id;
  if (const auto* value = body.if_contains("id"); value != nullptr && !value->is_null()) {
    const auto parsed =
        value->is_string() ? Uuid::parse(std::string(value->as_string())) : std::nullopt;
    if (parsed) {
      id = parsed->to_string();
    } else {
      errors.push_back({"id", "must be a backup id (a UUID)"});
    }
  }
  if (!errors.empty()) throw http::unprocessable(std::move(errors));
  return id;
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

void describe(ApiDocs& docs) {
  docs.add_schema("Backup", R"({
    "type": "object",
    "required": ["id", "kind", "status", "started_at", "finished_at", "bytes", "location",
                 "sha256", "verified_at", "verify_result"],
    "properties": {
      "id": {"type": "string", "format": "uuid"},
      "kind": {"enum": ["daily", "weekly"]},
      "status": {"enum": ["running", "succeeded", "failed"]},
      "started_at": {"type": "string", "format": "date-time"},
      "finished_at": {"type": ["string", "null"], "format": "date-time"},
      "bytes": {"type": ["integer", "null"]},
      "location": {"type": ["string", "null"]},
      "mirror_location": {"type": ["string", "null"]},
      "sha256": {"type": ["string", "null"]},
      "verified_at": {"type": ["string", "null"], "format": "date-time"},
      "verify_result": {"enum": ["passed", "failed", null]},
      "restore_ms": {"type": ["integer", "null"]},
      "failed_stage": {"type": ["string", "null"]},
      "error": {"type": ["string", "null"]}}})");
  docs.describe("backup_run", {.summary = "Take a backup now (admin)",
                               .description = "pg_dump of one snapshot, copied to the mirror, "
                                              "then GFS retention. 409 while one runs.",
                               .request = R"({"type": "object", "additionalProperties": false})",
                               .response = R"({"type": "object", "required": ["backup", "deleted"],
    "properties": {"backup": {"$ref": "#/components/schemas/Backup"},
      "deleted": {"type": "array", "items": {"type": "string"}}}})",
                               .problems = {400, 409, 422, 500}});
  docs.describe("backup_list", {.summary = "The kept backups, newest first (admin)",
                                .response = R"({"type": "object", "required": ["backups"],
    "properties": {"backups": {"type": "array",
      "items": {"$ref": "#/components/schemas/Backup"}}}})"});
  docs.describe("backup_verify",
                {.summary = "Test-restore a backup (the newest by default; admin)",
                 .description = "Restores into a scratch database and compares "
                                "every table with the manifest. 409 while one runs.",
                 .request = R"({"type": "object", "additionalProperties": false,
    "properties": {"id": {"type": "string", "format": "uuid"}}})",
                 .response = R"({"type": "object",
    "required": ["backup", "passed", "problems", "restore_ms"],
    "properties": {"backup": {"$ref": "#/components/schemas/Backup"}, "passed": {"type": "boolean"},
      "problems": {"type": "array", "items": {"type": "string"}},
      "restore_ms": {"type": "integer"}}})",
                 .problems = {400, 404, 409, 422, 500}});
}

}  // namespace

void add_backup_routes(http::Router& router, BackupRoutesDeps deps, ApiDocs& docs) {
  describe(docs);

  router.post(std::string(kBase) + "/run",
              [deps](Request& request) -> Task<Response> {
                check_run_body(request);
                auto work = [&deps]() -> Task<Response> {
                  const auto result = co_await deps.run();
                  boost::json::array deleted(result.deleted.begin(), result.deleted.end());
                  co_return http::json_response(
                      200, boost::json::object{{"backup", backup_json(result.record)},
                                               {"deleted", std::move(deleted)}});
                };
                co_return co_await answering(work);
              },
              {.name = "backup_run", .min_role = http::Role::admin});

  router.get(
      std::string(kBase),
      [deps](Request&) -> Task<Response> {
        boost::json::array backups;
        for (const auto& record : co_await deps.list()) backups.push_back(backup_json(record));
        co_return http::json_response(200, boost::json::object{{"backups", std::move(backups)}});
      },
      {.name = "backup_list", .min_role = http::Role::admin});

  router.post(std::string(kBase) + "/verify",
              [deps](Request& request) -> Task<Response> {
                const auto id = verify_id(request);
                auto work = [&deps, &id]() -> Task<Response> {
                  const auto result = co_await deps.verify(id);
                  boost::json::array problems(result.problems.begin(), result.problems.end());
                  co_return http::json_response(
                      200, boost::json::object{{"backup", backup_json(result.record)},
                                               {"passed", result.passed},
                                               {"problems", std::move(problems)},
                                               {"restore_ms", result.restore_ms}});
                };
                co_return co_await answering(work);
              },
              {.name = "backup_verify", .min_role = http::Role::admin});
}

}  // namespace utxoiq::api
