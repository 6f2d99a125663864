// The authorization matrix, generated from the live route table of the running service: every
// route × {no key, a bad key, reader, writer, admin} gets what api.md ("Authentication and
// roles") requires — 401 without a valid key, 403 for a role too low, neither for a role high
// enough. The role api.md requires is derived here from the method and path (not read from the
// route's own declaration, which is checked against it), so a route added anywhere is covered
// without editing this test, and one declared with a role other than api.md's fails it.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "http/method.hpp"
#include "http/principal.hpp"
#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

using http::Method;
using http::Role;

bool starts_with_any(const std::string& path, std::initializer_list<std::string_view> prefixes) {
  for (const auto prefix : prefixes) {
    if (path.starts_with(prefix)) return true;
  }
  return false;
}

// api.md: open routes; admin for database, cache, retention, backup monitoring and feedback
// erasure; reader for every GET (and the read-only POST of stats/batch); writer for the POSTs of
// backfill, feedback and metrics; anything else needs admin (fail closed).
std::optional<Role> required_role(Method method, const std::string& path) {
  const bool get = method == Method::get || method == Method::head;
  if (get && (path == "/healthz" || path == "/readyz" || path == "/metrics" ||
              path == "/openapi.json" || path == "/ui" || path.starts_with("/ui/"))) {
    return std::nullopt;
  }
  if (starts_with_any(path, {"/api/v1/monitoring/database/", "/api/v1/monitoring/cache",
                             "/api/v1/monitoring/retention", "/api/v1/monitoring/backup"})) {
    return Role::admin;
  }
  if (method == Method::delete_ && path.starts_with("/api/v1/feedback/user/")) return Role::admin;
  if (get || (method == Method::post && path == "/api/v1/feedback/stats/batch")) {
    return Role::reader;
  }
  if (method == Method::post &&
      starts_with_any(path, {"/api/v1/monitoring/backfill/", "/api/v1/feedback/",
                             "/api/v1/monitoring/metrics"})) {
    return Role::writer;
  }
  return Role::admin;
}

// A concrete target for a pattern: every {parameter} gets a well-formed value.
std::string target_of(const std::string& pattern) {
  std::string target;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      target += pattern.compare(i, close - i + 1, "{job_id}") == 0
                    ? "01900000-0000-7000-8000-000000000000"
                    : "some-value";
      i = close + 1;
    } else {
      target += pattern[i++];
    }
  }
  return target;
}

struct Caller {
  std::string name;
  std::string key;           // empty: none sent
  std::optional<Role> role;  // nullopt: not a valid key
};

TEST(AuthorizationMatrix, EveryRouteAnswersEveryCallerAsApiMdRequires) {
  ServiceUnderTestOptions options;
  // This test fails authentication on purpose, often, from one address.
  options.configure = [](app::ServeConfig& config) { config.failed_auth_limit = 1'000'000; };
  ServiceUnderTest service(options);
  const std::vector<Caller> callers{
      {"no key", "", std::nullopt},
      {"bad key", "uiq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", std::nullopt},
      {"reader", create_api_key(service.database_url(), "reader").key, Role::reader},
      {"writer", create_api_key(service.database_url(), "writer").key, Role::writer},
      {"admin", ServiceUnderTest::kAdminKey, Role::admin}};
  const auto routes = service.routes();
  ASSERT_GT(routes.size(), 10u);
  for (const auto& route : routes) {
    const std::string method(http::method_name(route.method));
    const std::string target = target_of(route.pattern);
    const auto required = required_role(route.method, route.pattern);
    EXPECT_EQ(route.options.min_role, required) << method << " " << route.pattern;
    const std::string body = route.method == Method::get ? "" : "{}";
    for (const Caller& caller : callers) {
      const auto response = service.client(caller.key).request(method, target, body, {});
      const std::string where = method + " " + target + " as " + caller.name;
      if (!required) {
        EXPECT_NE(response.status, 401) << where;
        EXPECT_NE(response.status, 403) << where;
      } else if (!caller.role) {
        EXPECT_EQ(response.status, 401) << where;
      } else if (!http::role_allows(*caller.role, *required)) {
        EXPECT_EQ(response.status, 403) << where;
      } else {
        EXPECT_NE(response.status, 401) << where << ": " << response.body;
        EXPECT_NE(response.status, 403) << where << ": " << response.body;
        EXPECT_NE(response.status, 429) << where << ": " << response.body;
      }
    }
  }
}

}  // namespace
}  // namespace utxoiq::testing
