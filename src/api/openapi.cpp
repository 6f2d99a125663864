// The OpenAPI document (see openapi.hpp). The answers every route of a kind may give are added
// here, once, from the route's options: 400/413 with a body, 401/403/503 with a key, 429 with a
// rate-limited key (reader and writer routes; admins are not limited).
#include "api/openapi.hpp"

#include <boost/json/array.hpp>
#include <map>
#include <string>

#include "api/schema.hpp"
#include "http/problem.hpp"

namespace utxoiq::api {

namespace {

namespace json = boost::json;

// {param} names of a pattern, in order.
std::vector<std::string> path_params(const std::string& pattern) {
  std::vector<std::string> names;
  for (std::size_t open = pattern.find('{'); open != std::string::npos;
       open = pattern.find('{', open + 1)) {
    const std::size_t close = pattern.find('}', open);
    if (close == std::string::npos) break;
    names.push_back(pattern.substr(open + 1, close - open - 1));
  }
  return names;
}

json::object parameter(const ParamDoc& doc, std::string_view in, bool required) {
  json::object p{{"name", doc.name}, {"in", in}, {"required", required}};
  if (!doc.description.empty()) p["description"] = doc.description;
  p["schema"] = doc.schema;
  if (!doc.example.is_null()) p["example"] = doc.example;
  return p;
}

json::array parameters(const http::RouteInfo& route, const RouteDoc& doc) {
  json::array out;
  for (const auto& name : path_params(route.pattern)) {
    ParamDoc param{.name = name};
    for (const auto& described : doc.path) {
      if (described.name == name) param = described;
    }
    out.push_back(parameter(param, "path", true));
  }
  for (const auto& query : doc.query) out.push_back(parameter(query, "query", query.required));
  for (const auto& header : doc.headers) {
    out.push_back(parameter(header, "header", header.required));
  }
  return out;
}

json::object request_body(const http::RouteInfo& route, const RouteDoc& doc) {
  json::object media{{"schema", doc.request}};
  if (!doc.request_example.is_null()) media["example"] = doc.request_example;
  return {{"required", true},
          {"description", "At most " + std::to_string(route.options.body_limit) + " bytes."},
          {"content", {{"application/json", std::move(media)}}}};
}

json::object reply(const Reply& reply) {
  json::object out{{"description", reply.description.empty() ? http::status_title(reply.status)
                                                             : reply.description}};
  if (!reply.schema.is_null()) {
    out["content"] = {{reply.content_type, {{"schema", reply.schema}}}};
  }
  return out;
}

json::object problem_reply(int status) {
  return {{"description", http::status_title(status)},
          {"content", {{"application/problem+json", {{"schema", schema::ref("Problem")}}}}}};
}

// Every status the route may answer with problem+json.
std::vector<int> problem_statuses(const http::RouteInfo& route, const RouteDoc& doc) {
  std::vector<int> statuses = doc.problems;
  if (!doc.request.is_null()) statuses.insert(statuses.end(), {400, 413});
  if (const auto role = route.options.min_role) {
    statuses.insert(statuses.end(), {401, 403, 503});
    if (*role != http::Role::admin) statuses.push_back(429);
  }
  return statuses;
}

json::object responses(const http::RouteInfo& route, const RouteDoc& doc) {
  std::map<int, json::object> by_status;  // sorted, one entry per status
  for (const int status : problem_statuses(route, doc)) by_status[status] = problem_reply(status);
  for (const auto& one : doc.replies) by_status[one.status] = reply(one);
  if (doc.replies.empty()) by_status[200] = reply(Reply{});  // undescribed: 200, body unknown
  json::object out;
  for (auto& [status, answer] : by_status) out[std::to_string(status)] = std::move(answer);
  return out;
}

json::object operation(const http::RouteInfo& route, const RouteDoc* described) {
  const RouteDoc doc = described ? *described : RouteDoc{};
  const std::string name = route.options.name.empty()
                               ? std::string(http::method_name(route.method)) + " " + route.pattern
                               : route.options.name;
  json::object op;
  op["operationId"] = name;
  op["summary"] = doc.summary.empty() ? name : doc.summary;
  if (!doc.description.empty()) op["description"] = doc.description;
  if (auto params = parameters(route, doc); !params.empty()) op["parameters"] = std::move(params);
  if (!doc.request.is_null()) op["requestBody"] = request_body(route, doc);
  op["responses"] = responses(route, doc);
  if (route.options.min_role) {
    op["security"] = json::array{json::object{{"bearerAuth", json::array{}}},
                                 json::object{{"apiKeyHeader", json::array{}}}};
    op["x-min-role"] = http::role_name(*route.options.min_role);
  } else {
    op["security"] = json::array{};  // open: no key needed
  }
  return op;
}

std::string_view openapi_method(http::Method method) {
  switch (method) {
    case http::Method::get:
      return "get";
    case http::Method::head:
      return "head";
    case http::Method::post:
      return "post";
    case http::Method::put:
      return "put";
    case http::Method::patch:
      return "patch";
    case http::Method::delete_:
      return "delete";
    case http::Method::options:
      return "options";
    case http::Method::other:
      break;
  }
  return "x-other";
}

json::object problem_schema() {
  const auto text = schema::string();
  return schema::object(
      {"type", "title", "status", "detail", "errors"},
      {{"type", text},
       {"title", text},
       {"status", schema::integer()},
       {"detail", text},
       {"errors", schema::array_of(schema::object({"field", "message"},
                                                  {{"field", text}, {"message", text}}))}});
}

}  // namespace

json::object build_openapi(const std::vector<http::RouteInfo>& routes, const ApiDocs& docs) {
  json::object paths;
  for (const auto& route : routes) {
    json::value& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[openapi_method(route.method)] =
        operation(route, docs.find(route.options.name));
  }
  json::object schemas;
  schemas["Problem"] = problem_schema();
  for (const auto& [name, schema] : docs.schemas()) schemas[name] = schema;

  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "utxoiq-store"},
        {"version", "1"},
        {"description",
         "Persistence and caching service of utxoIQ: backfill jobs, insight feedback, system "
         "metrics."}}},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", std::move(schemas)},
        {"securitySchemes",
         {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}},
          {"apiKeyHeader", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}}}}},
  };
}

}  // namespace utxoiq::api
