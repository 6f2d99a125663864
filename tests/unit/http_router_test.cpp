// Router: path parameters, literal-over-parameter precedence, 404 vs 405 with Allow, HEAD via
// GET, pattern validation and the route listing used by /openapi.json.
#include <gtest/gtest.h>

#include <stdexcept>

#include "http/router.hpp"

namespace utxoiq::http {
namespace {

Handler noop() {
  return [](Request&) -> Task<Response> { co_return empty_response(204); };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.post("/api/v1/monitoring/backfill/start", noop(), {.name = "backfill_start"});
    router.get("/api/v1/monitoring/backfill/status", noop(), {.name = "backfill_status"});
    router.get("/api/v1/monitoring/backfill/{job_id}", noop(), {.name = "backfill_get"});
    router.post("/api/v1/monitoring/backfill/{job_id}/complete", noop(),
                {.name = "backfill_complete"});
    router.del("/api/v1/feedback/user/{user_id}", noop(),
               {.name = "feedback_erase", .min_role = Role::admin});
    router.get("/healthz", noop(), {.name = "healthz", .min_role = std::nullopt});
    router.get("/", noop(), {.name = "root"});
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralRoute) {
  const auto match = router.match(Method::post, "/api/v1/monitoring/backfill/start");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->options.name, "backfill_start");
  EXPECT_TRUE(match.params.empty());
  EXPECT_TRUE(match.allow.empty());
}

TEST_F(RouterTest, CapturesPathParameters) {
  const auto match =
      router.match(Method::post, "/api/v1/monitoring/backfill/0190a1b2-c3d4/complete");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->options.name, "backfill_complete");
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].first, "job_id");
  EXPECT_EQ(match.params[0].second, "0190a1b2-c3d4");
}

TEST_F(RouterTest, DecodesParametersSegmentBySegment) {
  // %2F is a slash inside the parameter, not a segment separator.
  const auto match = router.match(Method::delete_, "/api/v1/feedback/user/a%2Fb%20c");
  ASSERT_NE(match.route, nullptr);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].second, "a/b c");
}

TEST_F(RouterTest, LiteralSegmentWinsOverParameter) {
  const auto status = router.match(Method::get, "/api/v1/monitoring/backfill/status");
  ASSERT_NE(status.route, nullptr);
  EXPECT_EQ(status.route->options.name, "backfill_status");
  const auto job = router.match(Method::get, "/api/v1/monitoring/backfill/statusx");
  ASSERT_NE(job.route, nullptr);
  EXPECT_EQ(job.route->options.name, "backfill_get");
  EXPECT_EQ(job.params.at(0).second, "statusx");
}

TEST_F(RouterTest, ParameterServesAMethodTheLiteralDoesNotHave) {
  // "start" is a literal with POST only; GET …/start is the {job_id} route.
  const auto match = router.match(Method::get, "/api/v1/monitoring/backfill/start");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->options.name, "backfill_get");
  EXPECT_EQ(match.params.at(0).second, "start");
}

TEST_F(RouterTest, UnknownPathIsNotFoundWithoutAllow) {
  for (const char* path : {"/nope", "/api/v1/monitoring/backfill", "/healthz/", "/healthz/x",
                           "/api/v1/monitoring/backfill//complete"}) {
    const auto match = router.match(Method::get, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_TRUE(match.allow.empty()) << path;
  }
}

TEST_F(RouterTest, KnownPathWithOtherMethodListsAllow) {
  const auto match = router.match(Method::post, "/healthz");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allow, "GET, HEAD");
  const auto complete = router.match(Method::get, "/api/v1/monitoring/backfill/x/complete");
  EXPECT_EQ(complete.route, nullptr);
  EXPECT_EQ(complete.allow, "POST");
}

TEST_F(RouterTest, HeadIsServedByGet) {
  const auto match = router.match(Method::head, "/healthz");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->method, Method::get);
}

TEST_F(RouterTest, RootPath) {
  const auto match = router.match(Method::get, "/");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->options.name, "root");
}

TEST_F(RouterTest, BrokenEscapeMatchesNothing) {
  EXPECT_EQ(router.match(Method::delete_, "/api/v1/feedback/user/%4").route, nullptr);
  EXPECT_EQ(router.match(Method::delete_, "/api/v1/feedback/user/%zz").route, nullptr);
}

TEST_F(RouterTest, CarriesRouteOptions) {
  const auto erase = router.match(Method::delete_, "/api/v1/feedback/user/u1");
  ASSERT_NE(erase.route, nullptr);
  EXPECT_EQ(erase.route->options.min_role, Role::admin);
  EXPECT_EQ(erase.route->options.body_limit, kDefaultBodyLimit);
  const auto health = router.match(Method::get, "/healthz");
  ASSERT_NE(health.route, nullptr);
  EXPECT_FALSE(health.route->options.min_role.has_value());
  const auto start = router.match(Method::post, "/api/v1/monitoring/backfill/start");
  EXPECT_EQ(start.route->options.min_role, Role::admin);  // the default fails closed
}

TEST_F(RouterTest, ListsRoutesInOrder) {
  const auto routes = router.routes();
  ASSERT_EQ(routes.size(), 7u);
  EXPECT_EQ(routes[0].method, Method::post);
  EXPECT_EQ(routes[0].pattern, "/api/v1/monitoring/backfill/start");
  EXPECT_EQ(routes[0].options.name, "backfill_start");
  EXPECT_EQ(routes[4].method, Method::delete_);
  EXPECT_EQ(routes[4].pattern, "/api/v1/feedback/user/{user_id}");
}

TEST(RouterPatterns, NameDefaultsToPattern) {
  Router router;
  router.get("/a/{id}", noop());
  EXPECT_EQ(router.routes().at(0).options.name, "/a/{id}");
}

TEST(RouterPatterns, RefusesMalformedAndDuplicatePatterns) {
  Router router;
  router.get("/a/{id}", noop());
  EXPECT_THROW(router.get("/a/{other}", noop()), std::invalid_argument);  // same shape
  EXPECT_THROW(router.get("a/b", noop()), std::invalid_argument);
  EXPECT_THROW(router.get("", noop()), std::invalid_argument);
  EXPECT_THROW(router.get("/x/{}", noop()), std::invalid_argument);
  EXPECT_THROW(router.get("/x/{a-b}", noop()), std::invalid_argument);
  EXPECT_THROW(router.get("/x/pre{id}", noop()), std::invalid_argument);
  EXPECT_THROW(router.get("/x/{id}/{id}", noop()), std::invalid_argument);
  EXPECT_NO_THROW(router.post("/a/{id}", noop()));  // another method is another route
}

TEST(RouterPatterns, SeveralParameters) {
  Router router;
  router.get("/s/{service}/t/{type}", noop());
  const auto match = router.match(Method::get, "/s/api/t/latency");
  ASSERT_NE(match.route, nullptr);
  ASSERT_EQ(match.params.size(), 2u);
  EXPECT_EQ(match.params[0], (std::pair<std::string_view, std::string>("service", "api")));
  EXPECT_EQ(match.params[1], (std::pair<std::string_view, std::string>("type", "latency")));
}

TEST(RouterPatterns, BacktracksFromADeadEndLiteral) {
  Router router;
  router.get("/a/b/c", noop(), {.name = "literal"});
  router.get("/a/{x}/d", noop(), {.name = "param"});
  const auto match = router.match(Method::get, "/a/b/d");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->options.name, "param");
  EXPECT_EQ(match.params.at(0).second, "b");
}

}  // namespace
}  // namespace utxoiq::http
