// Handlers and OpenAPI descriptions of the retention endpoints (see retention_routes.hpp).
#include "api/retention_routes.hpp"

#include <charconv>

#include "http/json_body.hpp"
#include "http/problem.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "ops/retention.hpp"

namespace utxoiq::api {

namespace {

using http::Request;
using http::Response;

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;

// {"dry_run": bool}, both optional; anything else is named in a 422.
bool parse_dry_run(const Request& request) {
  if (request.body.empty()) return false;
  const auto body = http::parse_json_object(request);
  FieldErrors errors;
  bool dry_run = false;
  for (const auto& member : body) {
    if (member.key() != "dry_run") {
      errors.push_back({std::string(member.key()), "unknown member"});
    } else if (!member.value().is_bool()) {
      errors.push_back({"dry_run", "must be true or false"});
    } else {
      dry_run = member.value().as_bool();
    }
  }
  if (!errors.empty()) throw http::unprocessable(std::move(errors));
  return dry_run;
}

std::optional<std::int64_t> positive_integer(const std::string& text, std::int64_t max) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > max) {
    return std::nullopt;
  }
  return value;
}

struct RunsQuery {
  int limit = kDefaultLimit;
  std::optional<std::int64_t> before;
};

RunsQuery parse_runs_query(const Request& request) {
  RunsQuery query;
  FieldErrors errors;
  for (const auto& [name, value] : request.query_params) {
    if (name == "limit") {
      const auto limit = positive_integer(value, kMaxLimit);
      if (limit) query.limit = static_cast<int>(*limit);
      if (!limit) errors.push_back({"limit", "must be an integer from 1 to 100"});
    } else if (name == "cursor") {
      query.before = positive_integer(value, INT64_MAX);
      if (!query.before) errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      errors.push_back({name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) throw http::unprocessable(std::move(errors));
  return query;
}

void describe(ApiDocs& docs) {
  docs.add_schema("RetentionRun", R"({
    "type": "object",
    "required": ["run_id", "dry_run", "status", "started_at", "finished_at", "policies"],
    "properties": {
      "run_id": {"type": "integer"}, "dry_run": {"type": "boolean"},
      "status": {"enum": ["running", "succeeded", "failed"]},
      "error": {"type": ["string", "null"]},
      "started_at": {"type": "string", "format": "date-time"},
      "finished_at": {"type": ["string", "null"], "format": "date-time"},
      "policies": {"type": "array", "items": {"type": "object",
        "required": ["table", "cutoff", "archived", "deleted", "archive_uri", "sha256"],
        "properties": {"table": {"type": "string"},
          "cutoff": {"type": "string", "format": "date-time"},
          "archived": {"type": "integer"}, "deleted": {"type": "integer"},
          "partitions_dropped": {"type": "integer"},
          "archive_uri": {"type": ["string", "null"]}, "sha256": {"type": ["string", "null"]},
          "archives": {"type": "array", "items": {"type": "object"}}}}}}})");
  docs.describe("retention_run",
                {.summary = "Run retention now: archive, verify, then delete (admin)",
                 .description = "A dry run counts what a real run would archive and delete.",
                 .request = R"({"type": "object", "properties": {"dry_run": {"type": "boolean"}},
    "additionalProperties": false})",
                 .response = R"({"$ref": "#/components/schemas/RetentionRun"})",
                 .problems = {400, 409, 422}});
  docs.describe("retention_runs",
                {.summary = "The retention audit trail, newest first (admin)",
                 .query = {{.name = "limit",
                            .schema = R"({"type": "integer", "minimum": 1, "maximum": 100})"},
                           {.name = "cursor"}},
                 .response = R"({"type": "object", "required": ["runs", "next_cursor"],
    "properties": {"runs": {"type": "array", "items": {"$ref": "#/components/schemas/RetentionRun"}},
      "next_cursor": {"type": ["string", "null"]}}})",
                 .problems = {422}});
}

}  // namespace

void add_retention_routes(http::Router& router, RetentionRoutesDeps deps, ApiDocs& docs) {
  describe(docs);
  router.post("/api/v1/monitoring/retention/run",
              [deps](Request& request) -> Task<Response> {
                const bool dry_run = parse_dry_run(request);
                std::optional<boost::json::object> run;
                try {
                  run = co_await deps.run(dry_run);
                } catch (const ops::RetentionBusy& busy) {
                  throw http::conflict(busy.what());
                }
                co_return http::json_response(200, *run);
              },
              {.name = "retention_run", .min_role = http::Role::admin});
  router.get("/api/v1/monitoring/retention/runs",
             [deps](Request& request) -> Task<Response> {
               const auto query = parse_runs_query(request);
               co_return http::json_response(200, co_await deps.list(query.limit, query.before));
             },
             {.name = "retention_runs", .min_role = http::Role::admin});
}

}  // namespace utxoiq::api
