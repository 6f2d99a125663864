// Handlers and OpenAPI descriptions of the retention endpoints (see retention_routes.hpp).
#include "api/retention_routes.hpp"

#include <charconv>

#include "api/route_table.hpp"
#include "api/schema.hpp"
#include "http/json_body.hpp"
#include "http/problem.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "ops/retention.hpp"

namespace utxoiq::api {

namespace {

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;

// {"dry_run": bool}, optional; other members are ignored (api.md), a non-boolean is a 422.
bool parse_dry_run(const Request& request) {
  if (request.body.empty()) return false;
  const auto body = http::parse_json_object(request);
  const auto* member = body.if_contains("dry_run");
  if (member == nullptr) return false;
  if (!member->is_bool()) throw http::unprocessable("dry_run", "must be true or false");
  return member->as_bool();
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

boost::json::object run_schema() {
  const auto count = schema::integer(0);
  const auto policy =
      schema::object({"table", "cutoff", "archived", "deleted", "archive_uri", "sha256"},
                     {{"table", schema::string()},
                      {"cutoff", schema::formatted("date-time")},
                      {"archived", count},
                      {"deleted", count},
                      {"partitions_dropped", count},
                      {"archive_uri", schema::nullable(schema::string())},
                      {"sha256", schema::nullable(schema::string())},
                      {"archives", schema::array_of(boost::json::object{{"type", "object"}})}});
  return schema::object({"run_id", "dry_run", "status", "started_at", "finished_at", "policies"},
                        {{"run_id", schema::integer(1)},
                         {"dry_run", schema::boolean()},
                         {"status", schema::enum_of({"running", "succeeded", "failed"})},
                         {"error", schema::nullable(schema::string())},
                         {"started_at", schema::formatted("date-time")},
                         {"finished_at", schema::nullable(schema::formatted("date-time"))},
                         {"policies", schema::array_of(policy)}});
}

std::vector<RouteSpec> retention_table(RetentionRoutesDeps deps) {
  const auto run = run_schema();
  return {
      {.method = Method::post,
       .path = "/api/v1/monitoring/retention/run",
       .name = "retention_run",
       .access = kAdmins,
       .doc = {.summary = "Run retention now: archive, verify, then delete",
               .description = "A dry run counts what a real run would archive and delete.",
               .request = schema::object({}, {{"dry_run", schema::boolean()}}),
               .request_example = {{"dry_run", true}},
               .replies = {{.schema = run}},
               .problems = {409, 422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const bool dry_run = parse_dry_run(request);
         std::optional<boost::json::object> result;
         try {
           result = co_await deps.run(dry_run);
         } catch (const ops::RetentionBusy& busy) {
           throw http::conflict(busy.what());
         }
         co_return http::json_response(200, *result);
       }},
      {.method = Method::get,
       .path = "/api/v1/monitoring/retention/runs",
       .name = "retention_runs",
       .access = kAdmins,
       .doc = {.summary = "The retention audit trail, newest first",
               .query = with_paging({}, kDefaultLimit, kMaxLimit),
               .replies = {{.schema = schema::page("runs", run)}},
               .problems = {422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const auto query = parse_runs_query(request);
         co_return http::json_response(200, co_await deps.list(query.limit, query.before));
       }},
  };
}

}  // namespace

void add_retention_routes(http::Router& router, RetentionRoutesDeps deps, ApiDocs& docs) {
  add_routes(router, docs, retention_table(std::move(deps)));
}

}  // namespace utxoiq::api
