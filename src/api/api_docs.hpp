#pragma once
// What /openapi.json says about each route, kept in the route's table entry (route_table.hpp) so
// a route is declared once: its parameters, request body, every answer with its schema. Schemas
// are JSON values built with api/schema.hpp from the domain's limit constants, so a limit is
// written once and the document follows the code.
//
// Answers every route may give are added by the document builder, not by each route: 400 and 413
// for a route that takes a body; 401, 403 and 503 for a keyed route; 429 for a rate-limited one
// (reader and writer routes: admins are not limited).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace utxoiq::api {

struct ParamDoc {
  std::string name{};
  boost::json::object schema = {{"type", "string"}};
  std::string description{};
  bool required = false;
  // A valid value (null: none). The examples test sends every route with its examples.
  boost::json::value example = nullptr;
};

// One answer of a route besides problem+json: its status and the schema of its body.
struct Reply {
  int status = 200;
  std::string description{};
  // JSON Schema of the body; null: no body is documented.
  boost::json::value schema = nullptr;
  std::string content_type = "application/json";
};

struct RouteDoc {
  std::string summary{};
  std::string description{};
  // Path parameters ({job_id}); one that is not listed is documented as a string.
  std::vector<ParamDoc> path{};
  std::vector<ParamDoc> query{};
  std::vector<ParamDoc> headers{};
  // JSON Schema of the request body; null: the route takes no body.
  boost::json::value request = nullptr;
  // A valid request body (null: none), sent by the examples test.
  boost::json::value request_example = nullptr;
  // Every success status with its body.
  std::vector<Reply> replies{};
  // Statuses answered with problem+json beyond those every route of its kind may answer.
  std::vector<int> problems{};
};

// `params` followed by `limit` and `cursor`, the paging parameters of every list (domain/page.hpp).
std::vector<ParamDoc> with_paging(std::vector<ParamDoc> params, std::int64_t default_limit,
                                  std::int64_t max_limit);
std::vector<ParamDoc> with_paging(std::vector<ParamDoc> params);

class ApiDocs {
 public:
  void describe(std::string route_name, RouteDoc doc);
  // nullptr when the route was not described.
  const RouteDoc* find(std::string_view route_name) const;

  // A schema under #/components/schemas/NAME, for $refs (schema::ref).
  void add_schema(std::string name, boost::json::object json_schema);
  const std::unordered_map<std::string, boost::json::object>& schemas() const { return schemas_; }

 private:
  std::unordered_map<std::string, RouteDoc> docs_;
  std::unordered_map<std::string, boost::json::object> schemas_;
};

}  // namespace utxoiq::api
