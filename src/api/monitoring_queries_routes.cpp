// Handler and OpenAPI description of GET /monitoring/database/queries (see the header). Every
// query text is the normalized one (no literal values); a plan is the EXPLAIN (FORMAT JSON) output
// as JSON, null while pending or when the statement could not be explained.
#include "api/monitoring_queries_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include "api/route_table.hpp"
#include "api/schema.hpp"

#include "http/response.hpp"
#include "http/router.hpp"
#include "pg/query_insight.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::api {

namespace {

boost::json::value plan_json(const std::string& plan) {
  if (plan.empty()) return nullptr;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(plan, ec);
  return ec ? boost::json::value(nullptr) : parsed;
}

std::string at_text(std::chrono::system_clock::time_point at) {
  return format_rfc3339(std::chrono::time_point_cast<std::chrono::microseconds>(at));
}

boost::json::value optional_text(const std::string& text) {
  return text.empty() ? boost::json::value(nullptr) : boost::json::value(text);
}

boost::json::array statements_json(const pg::QueryInsight& insight) {
  boost::json::array out;
  for (const auto& s : insight.statements()) {
    out.push_back(boost::json::object{{"fingerprint", s.fingerprint},
                                      {"query", s.query},
                                      {"calls", s.calls},
                                      {"total_ms", s.total_ms},
                                      {"mean_ms", s.mean_ms},
                                      {"p95_ms", s.p95_ms},
                                      {"max_ms", s.max_ms},
                                      {"rows", s.rows}});
  }
  return out;
}

boost::json::array slow_json(const pg::QueryInsight& insight) {
  boost::json::array out;
  for (const auto& s : insight.slow_statements()) {
    out.push_back(boost::json::object{{"fingerprint", s.fingerprint},
                                      {"query", s.query},
                                      {"duration_ms", s.duration_ms},
                                      {"at", at_text(s.at)},
                                      {"request_id", optional_text(s.request_id)},
                                      {"route", optional_text(s.route)},
                                      {"plan", plan_json(s.plan)}});
  }
  return out;
}

boost::json::array n_plus_one_json(const pg::QueryInsight& insight) {
  boost::json::array out;
  for (const auto& n : insight.n_plus_one()) {
    out.push_back(boost::json::object{{"fingerprint", n.fingerprint},
                                      {"query", n.query},
                                      {"count", n.count},
                                      {"route", n.route},
                                      {"request_id", n.request_id},
                                      {"at", at_text(n.at)}});
  }
  return out;
}

boost::json::object queries_schema() {
  const auto text = schema::string();
  const auto maybe_text = schema::nullable(schema::string());
  const auto ms = schema::number(0);
  const auto count = schema::integer(0);
  const auto at = schema::formatted("date-time");
  const auto statement = schema::object(
      {"fingerprint", "query", "calls", "total_ms", "mean_ms", "p95_ms", "max_ms", "rows"},
      {{"fingerprint", text},
       {"query", text},
       {"calls", count},
       {"total_ms", ms},
       {"mean_ms", ms},
       {"p95_ms", ms},
       {"max_ms", ms},
       {"rows", count}});
  const auto slow = schema::object(
      {"query", "duration_ms", "at", "request_id", "plan"},
      {{"fingerprint", text},
       {"query", text},
       {"duration_ms", ms},
       {"at", at},
       {"request_id", maybe_text},
       {"route", maybe_text},
       {"plan",
        boost::json::object{{"description", "EXPLAIN (FORMAT JSON), null while pending"}}}});
  const auto n_plus_one = schema::object(
      {"fingerprint", "query", "count", "route", "request_id", "at"}, {{"fingerprint", text},
                                                                       {"query", text},
                                                                       {"count", count},
                                                                       {"route", text},
                                                                       {"request_id", text},
                                                                       {"at", at}});
  return schema::object({"queries", "slow_queries", "n_plus_one"},
                        {{"queries", schema::array_of(statement)},
                         {"slow_queries", schema::array_of(slow)},
                         {"n_plus_one", schema::array_of(n_plus_one)}});
}

}  // namespace

void add_monitoring_queries_routes(http::Router& router, MonitoringQueriesRoutesDeps deps,
                                   ApiDocs& docs) {
  add_routes(
      router, docs,
      {{.method = Method::get,
        .path = "/api/v1/monitoring/database/queries",
        .name = "monitoring_database_queries",
        .access = kAdmins,
        .doc = {.summary = "Statement statistics, slow statements and N+1 reports of this instance",
                .replies = {{.schema = queries_schema()}}},
        .handler = [deps](Request&) -> Task<Response> {
          co_return http::json_response(
              200, boost::json::object{{"queries", statements_json(deps.insight)},
                                       {"slow_queries", slow_json(deps.insight)},
                                       {"n_plus_one", n_plus_one_json(deps.insight)}});
        }}});
}

}  // namespace utxoiq::api
