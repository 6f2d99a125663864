// GET /openapi.json (api.md "Health"): open, an OpenAPI 3.1 document in which every route the
// running service has appears (method + path in {param} syntax), /openapi.json itself included,
// and nothing that is not a route.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

#include "http/method.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(OpenApi, EveryRouteOfTheServiceIsDocumented) {
  ServiceUnderTest service;
  auto client = service.client("");
  const auto response = client.get("/openapi.json");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  const auto document = response.json().as_object();
  EXPECT_EQ(document.at("openapi").as_string(), "3.1.0");
  const auto& paths = document.at("paths").as_object();

  std::set<std::string> routed;
  const auto routes = service.routes();
  ASSERT_FALSE(routes.empty());
  for (const auto& route : routes) {
    const std::string method = lower(http::method_name(route.method));
    routed.insert(method + " " + route.pattern);
    const auto* item = paths.if_contains(route.pattern);
    ASSERT_NE(item, nullptr) << route.pattern << " is missing";
    const auto* operation = item->as_object().if_contains(method);
    ASSERT_NE(operation, nullptr) << method << " " << route.pattern << " is missing";
    const auto& op = operation->as_object();
    EXPECT_FALSE(op.at("summary").as_string().empty());
    EXPECT_FALSE(op.at("responses").as_object().empty());
    // Keyed routes name their security and least role; open ones need none.
    EXPECT_EQ(op.at("security").as_array().empty(), !route.options.min_role) << route.pattern;
  }
  EXPECT_TRUE(routed.count("get /openapi.json"));
  EXPECT_TRUE(routed.count("get /api/v1/monitoring/backfill/{job_id}"));
  EXPECT_TRUE(routed.count("delete /api/v1/feedback/user/{user_id}"));

  std::set<std::string> documented;
  for (const auto& [path, item] : paths) {
    for (const auto& [method, operation] : item.as_object()) {
      documented.insert(std::string(method) + " " + std::string(path));
    }
  }
  EXPECT_EQ(documented, routed);
}

TEST(OpenApi, PathParametersAndBodiesAreDescribed) {
  ServiceUnderTest service;
  auto client = service.client("");
  const auto document = client.get("/openapi.json").json().as_object();
  const auto& paths = document.at("paths").as_object();
  const auto& get_job =
      paths.at("/api/v1/monitoring/backfill/{job_id}").as_object().at("get").as_object();
  const auto& parameter = get_job.at("parameters").as_array().at(0).as_object();
  EXPECT_EQ(parameter.at("name").as_string(), "job_id");
  EXPECT_EQ(parameter.at("in").as_string(), "path");
  EXPECT_TRUE(parameter.at("required").as_bool());

  const auto& rate = paths.at("/api/v1/feedback/rate").as_object().at("post").as_object();
  EXPECT_TRUE(rate.contains("requestBody"));
  EXPECT_TRUE(rate.at("responses").as_object().contains("201"));
  EXPECT_TRUE(rate.at("responses").as_object().contains("422"));
  EXPECT_EQ(rate.at("x-min-role").as_string(), "writer");
  EXPECT_EQ(paths.at("/api/v1/feedback/user/{user_id}").as_object().at("delete").at("x-min-role"),
            "admin");
  EXPECT_TRUE(
      document.at("components").as_object().at("schemas").as_object().contains("BackfillJob"));
}

}  // namespace
}  // namespace utxoiq::testing
