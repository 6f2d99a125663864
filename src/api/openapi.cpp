// The OpenAPI document (see openapi.hpp).
#include "api/openapi.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <stdexcept>

#include "http/problem.hpp"
#include "http/response.hpp"

namespace utxoiq::api {

namespace {

namespace json = boost::json;

json::value parse_schema(const std::string& text, std::string_view where) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) throw std::logic_error("invalid JSON schema in the description of " + std::string(where));
  return value;
}

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

json::object parameter(const ParamDoc& doc, std::string_view in, bool required,
                       std::string_view where) {
  json::object p{{"name", doc.name}, {"in", in}, {"required", required}};
  if (!doc.description.empty()) p["description"] = doc.description;
  p["schema"] = parse_schema(doc.schema, where);
  return p;
}

json::object problem_response(int status) {
  return {
      {"description", http::status_title(status)},
      {"content",
       {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

json::object operation(const http::RouteInfo& route, const RouteDoc* doc) {
  const std::string name = route.options.name.empty()
                               ? std::string(http::method_name(route.method)) + " " + route.pattern
                               : route.options.name;
  json::object op;
  op["operationId"] = name;
  op["summary"] = doc && !doc->summary.empty() ? doc->summary : name;
  if (doc && !doc->description.empty()) op["description"] = doc->description;

  json::array parameters;
  for (const auto& param_name : path_params(route.pattern)) {
    ParamDoc param{.name = param_name};
    if (doc) {
      for (const auto& described : doc->path) {
        if (described.name == param_name) param = described;
      }
    }
    parameters.push_back(parameter(param, "path", true, name));
  }
  if (doc) {
    for (const auto& query : doc->query) {
      parameters.push_back(parameter(query, "query", query.required, name));
    }
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);

  if (doc && !doc->request.empty()) {
    op["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", parse_schema(doc->request, name)}}}}}};
  }

  json::object responses;
  const int status = doc ? doc->status : 200;
  json::object success{{"description", status == 201 ? "Created" : "OK"}};
  if (doc && !doc->response.empty()) {
    success["content"] = {{"application/json", {{"schema", parse_schema(doc->response, name)}}}};
  }
  responses[std::to_string(status)] = std::move(success);
  if (doc) {
    for (const int problem : doc->problems) {
      responses[std::to_string(problem)] = problem_response(problem);
    }
  }
  if (route.options.min_role) {
    responses["401"] = problem_response(401);
    responses["403"] = problem_response(403);
    responses["503"] = problem_response(503);
    op["security"] = json::array{json::object{{"bearerAuth", json::array{}}},
                                 json::object{{"apiKeyHeader", json::array{}}}};
    op["x-min-role"] = http::role_name(*route.options.min_role);
  } else {
    op["security"] = json::array{};  // open: no key needed
  }
  op["responses"] = std::move(responses);
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

constexpr std::string_view kProblemSchema = R"({
  "type": "object",
  "required": ["type", "title", "status", "detail", "errors"],
  "properties": {
    "type": {"type": "string"},
    "title": {"type": "string"},
    "status": {"type": "integer"},
    "detail": {"type": "string"},
    "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"],
      "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}
  }
})";

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
  schemas["Problem"] = parse_schema(std::string(kProblemSchema), "Problem");
  for (const auto& [name, schema] : docs.schemas()) schemas[name] = parse_schema(schema, name);

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

void add_openapi_route(http::Router& router, std::function<std::vector<http::RouteInfo>()> routes,
                       ApiDocs& docs) {
  // The open routes of api/health.cpp, described here with the document that lists them.
  docs.describe("healthz", {.summary = "Liveness: 200 while the process serves",
                            .response = R"({"type": "object", "required": ["status"]})"});
  docs.describe("readyz", {.summary = "Readiness: 200 when the primary database answers",
                           .response = R"({"type": "object",
    "required": ["status", "database", "cache"]})",
                           .problems = {503}});
  docs.describe("metrics", {.summary = "Prometheus text exposition"});
  docs.describe("openapi", {.summary = "This API as an OpenAPI 3.1 document",
                            .response = R"({"type": "object"})"});
  // Built on the first request: by then every route of the server is registered.
  auto cached = std::make_shared<std::string>();
  router.get("/openapi.json",
             [routes = std::move(routes), &docs, cached](http::Request&) -> Task<http::Response> {
               if (cached->empty()) *cached = json::serialize(build_openapi(routes(), docs));
               http::Response response;
               response.content_type = http::kJsonContentType;
               response.body = *cached;
               co_return response;
             },
             {.name = "openapi", .min_role = std::nullopt});
}

}  // namespace utxoiq::api
