// Handler, body and OpenAPI description of GET /monitoring/database/indexes (see the header).
#include "api/monitoring_indexes_routes.hpp"

#include <boost/json/array.hpp>
#include <cassert>
#include "api/route_table.hpp"
#include "api/schema.hpp"

#include "http/response.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

namespace {

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& value : values) out.emplace_back(value);
  return out;
}

boost::json::array suggestions_json(const std::vector<ops::IndexSuggestion>& suggestions) {
  boost::json::array out;
  for (const auto& s : suggestions) {
    out.push_back(boost::json::object{{"table", s.table},
                                      {"columns", strings(s.columns)},
                                      {"statement", s.statement},
                                      {"fingerprints", strings(s.fingerprints)},
                                      {"cost_before", s.cost_before},
                                      {"cost_after", s.cost_after}});
  }
  return out;
}

}  // namespace

boost::json::object index_advice_json(const ops::IndexAdvice& advice) {
  boost::json::array unused;
  for (const auto& u : advice.unused)
    unused.push_back(boost::json::object{
        {"index", u.index}, {"table", u.table}, {"bytes", u.bytes}, {"scans", u.scans}});
  boost::json::array duplicates;
  for (const auto& d : advice.duplicates)
    duplicates.push_back(boost::json::object{
        {"index", d.index}, {"duplicate_of", d.duplicate_of}, {"table", d.table}});
  boost::json::array invalid;
  for (const auto& i : advice.invalid)
    invalid.push_back(boost::json::object{{"index", i.index}, {"table", i.table}});
  return boost::json::object{{"suggestions", suggestions_json(advice.suggestions)},
                             {"unused", std::move(unused)},
                             {"duplicates", std::move(duplicates)},
                             {"invalid", std::move(invalid)},
                             {"hypopg", advice.hypopg}};
}

namespace {

boost::json::object advice_schema() {
  const auto text = schema::string();
  const auto names = schema::array_of(schema::string());
  const auto count = schema::integer(0);
  const auto suggestion =
      schema::object({"table", "columns", "statement", "fingerprints", "cost_before", "cost_after"},
                     {{"table", text},
                      {"columns", names},
                      {"statement", text},
                      {"fingerprints", names},
                      {"cost_before", schema::number(0)},
                      {"cost_after", schema::number(0)}});
  return schema::object(
      {"suggestions", "unused", "duplicates", "invalid", "hypopg"},
      {{"suggestions", schema::array_of(suggestion)},
       {"unused", schema::array_of(schema::object(
                      {"index", "table", "bytes", "scans"},
                      {{"index", text}, {"table", text}, {"bytes", count}, {"scans", count}}))},
       {"duplicates", schema::array_of(schema::object(
                          {"index", "duplicate_of", "table"},
                          {{"index", text}, {"duplicate_of", text}, {"table", text}}))},
       {"invalid",
        schema::array_of(schema::object({"index", "table"}, {{"index", text}, {"table", text}}))},
       {"hypopg", schema::boolean()}});
}

}  // namespace

void add_monitoring_indexes_routes(http::Router& router, MonitoringIndexesRoutesDeps deps,
                                   ApiDocs& docs) {
  assert(deps.advise);
  add_routes(router, docs,
             {{.method = Method::get,
               .path = "/api/v1/monitoring/database/indexes",
               .name = "monitoring_database_indexes",
               .access = kAdmins,
               .doc = {.summary = "Index suggestions (checked with hypopg) and unused, duplicate "
                                  "and invalid indexes; never creates an index",
                       .replies = {{.schema = advice_schema()}}},
               .handler = [advise = std::move(deps.advise)](Request&) -> Task<Response> {
                 const ops::IndexAdvice advice = co_await advise();
                 co_return http::json_response(200, index_advice_json(advice));
               }}});
}

}  // namespace utxoiq::api
