#pragma once
// Descriptions of the routes for GET /openapi.json, kept by each resource file next to its route
// registrations (keyed by the route's name, RouteOptions::name):
//
//   router.post("/api/v1/feedback/rate", rate, {.name = "feedback_rate", .min_role = writer});
//   docs.describe("feedback_rate", {.summary = "Rate an insight", .request = R"({...})", ...});
//
// The document itself is built from the router's routes (openapi.hpp), so a route that nobody
// described still appears, with its name as summary: routes added later are never missing.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace utxoiq::api {

struct ParamDoc {
  std::string name{};
  // JSON Schema of the value, as JSON text: R"({"type": "integer", "minimum": 1})".
  std::string schema = R"({"type": "string"})";
  std::string description{};
  bool required = false;
};

struct RouteDoc {
  std::string summary{};
  std::string description{};
  // Path parameters ({job_id}); one that is not listed is documented as a string.
  std::vector<ParamDoc> path{};
  std::vector<ParamDoc> query{};
  // JSON Schema of the request body as JSON text (e.g. a $ref to #/components/schemas/...);
  // empty: the route takes no body.
  std::string request{};
  // The success status and the JSON Schema of its body; empty schema: no body documented.
  int status = 200;
  std::string response{};
  // Statuses answered with problem+json besides 401/403/503, which every keyed route may answer.
  std::vector<int> problems{};
};

class ApiDocs {
 public:
  void describe(std::string route_name, RouteDoc doc);
  // nullptr when the route was not described.
  const RouteDoc* find(std::string_view route_name) const;

  // A schema under #/components/schemas/NAME (JSON Schema as JSON text), for $refs.
  void add_schema(std::string name, std::string json_schema);
  const std::unordered_map<std::string, std::string>& schemas() const { return schemas_; }

 private:
  std::unordered_map<std::string, RouteDoc> docs_;
  std::unordered_map<std::string, std::string> schemas_;
};

}  // namespace utxoiq::api
