// build_openapi: every route of a router becomes an operation (described or not, so routes added
// later by anyone appear), {param} segments become path parameters, security follows min_role,
// and every description the resources keep is valid JSON (the real backfill and feedback docs are
// built here on fakes-free registrations: only the router and the docs are used).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/backfill_routes.hpp"
#include "api/feedback_routes.hpp"
#include "api/openapi.hpp"
#include "http/router.hpp"

namespace utxoiq::api {
namespace {

namespace json = boost::json;

http::Handler noop() {
  return [](http::Request&) -> Task<http::Response> { co_return http::empty_response(204); };
}

TEST(OpenApiDocument, AnUndescribedRouteStillAppears) {
  http::Router router;
  router.get("/api/v1/monitoring/metrics/{series}", noop(), {.name = "metrics_later"});
  router.post("/api/v1/other", noop(), {.name = "", .min_role = http::Role::admin});
  ApiDocs docs;
  const auto doc = build_openapi(router.routes(), docs);
  const auto& paths = doc.at("paths").as_object();
  const auto& later = paths.at("/api/v1/monitoring/metrics/{series}").at("get").as_object();
  EXPECT_EQ(later.at("summary").as_string(), "metrics_later");
  const auto& param = later.at("parameters").as_array().at(0).as_object();
  EXPECT_EQ(param.at("name").as_string(), "series");
  EXPECT_EQ(param.at("in").as_string(), "path");
  const auto& unnamed = paths.at("/api/v1/other").at("post").as_object();
  EXPECT_EQ(unnamed.at("x-min-role").as_string(), "admin");
  EXPECT_FALSE(unnamed.at("operationId").as_string().empty());
}

TEST(OpenApiDocument, OpenRoutesHaveNoSecurity) {
  http::Router router;
  router.get("/healthz", noop(), {.name = "healthz", .min_role = std::nullopt});
  ApiDocs docs;
  const auto doc = build_openapi(router.routes(), docs);
  EXPECT_TRUE(doc.at("paths").at("/healthz").at("get").at("security").as_array().empty());
}

TEST(OpenApiDocument, AnInvalidSchemaIsAProgrammingError) {
  http::Router router;
  router.post("/x", noop(), {.name = "x"});
  ApiDocs docs;
  docs.describe("x", {.summary = "x", .request = "{not json"});
  EXPECT_THROW(build_openapi(router.routes(), docs), std::logic_error);
}

TEST(OpenApiDocument, TheResourceDescriptionsAreValid) {
  // The store interfaces are never called while routes are only registered.
  struct Unused : store::BackfillJobReader,
                  store::BackfillJobLister,
                  store::BackfillJobWriter,
                  store::FeedbackStatsReader,
                  store::FeedbackLister,
                  store::FeedbackWriter {
    Task<std::optional<domain::BackfillJob>> get(const Uuid&) override { co_return std::nullopt; }
    Task<store::BackfillJobPage> list(const domain::BackfillListQuery&) override {
      co_return store::BackfillJobPage{};
    }
    Task<domain::BackfillJob> start(const domain::StartJob&) override {
      co_return domain::BackfillJob{};
    }
    Task<store::JobWrite> progress(const domain::ProgressUpdate&) override {
      co_return store::JobWrite{};
    }
    Task<store::JobWrite> complete(const Uuid&) override { co_return store::JobWrite{}; }
    Task<store::JobWrite> fail(const Uuid&, const domain::FailJob&) override {
      co_return store::JobWrite{};
    }
    Task<store::JobWrite> pause(const Uuid&) override { co_return store::JobWrite{}; }
    Task<store::JobWrite> resume(const Uuid&) override { co_return store::JobWrite{}; }
    Task<domain::FeedbackStats> stats(const std::string&) override {
      co_return domain::FeedbackStats{};
    }
    Task<std::vector<domain::FeedbackStats>> stats_batch(const std::vector<std::string>&) override {
      co_return std::vector<domain::FeedbackStats>{};
    }
    Task<store::FeedbackPage> list(const domain::FeedbackFilter&) override {
      co_return store::FeedbackPage{};
    }
    Task<store::FeedbackPage> comments(const domain::CommentsQuery&) override {
      co_return store::FeedbackPage{};
    }
    Task<store::FeedbackPage> by_user(const domain::UserFeedbackQuery&) override {
      co_return store::FeedbackPage{};
    }
    Task<store::FeedbackWrite> rate(const domain::RateFeedback&) override {
      co_return store::FeedbackWrite{};
    }
    Task<store::FeedbackWrite> comment(const domain::CommentFeedback&) override {
      co_return store::FeedbackWrite{};
    }
    Task<store::FeedbackWrite> flag(const domain::FlagFeedback&) override {
      co_return store::FeedbackWrite{};
    }
    Task<std::int64_t> erase_user(const std::string&) override { co_return 0; }
  } unused;
  http::Router router;
  ApiDocs docs;
  add_backfill_routes(router, {unused, unused, unused, std::chrono::minutes(10)}, docs);
  add_feedback_routes(router, {unused, unused, unused}, docs);
  add_openapi_route(
      router, [&router] { return router.routes(); }, docs);
  json::object doc;
  ASSERT_NO_THROW(doc = build_openapi(router.routes(), docs));
  for (const auto& route : router.routes()) {
    const auto& op = doc.at("paths").at(route.pattern).as_object().begin()->value();
    EXPECT_NE(op.at("summary").as_string(), route.options.name)
        << route.options.name << " has no description";
  }
}

}  // namespace
}  // namespace utxoiq::api
