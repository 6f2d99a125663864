// build_openapi: every route of a router becomes an operation (described or not, so routes added
// later by anyone appear), {param} segments become path parameters, security follows min_role,
// the answers every route of a kind may give are added from its options, limits come from the
// domain's constants, and every route of the backfill and feedback tables is described (the
// tables are registered on stores that are never called).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "api/backfill_routes.hpp"
#include "api/cached_backfill_jobs.hpp"
#include "api/cached_feedback_stats.hpp"
#include "api/feedback_routes.hpp"
#include "api/openapi.hpp"
#include "api/openapi_routes.hpp"
#include "api/route_table.hpp"
#include "cache/cache_set.hpp"
#include "domain/feedback_requests.hpp"
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

// A route table entry without `.access` does not compile: Access cannot be defaulted.
static_assert(!std::is_default_constructible_v<Access>);

TEST(OpenApiDocument, TheAnswersOfARouteKindAreAdded) {
  http::Router router;
  ApiDocs docs;
  add_routes(router, docs,
             {{.method = http::Method::post,
               .path = "/w",
               .name = "w",
               .access = kWriters,
               .body_limit = 2048,
               .doc = {.summary = "w",
                       .request = {{"type", "object"}},
                       .replies = {{.status = 201, .description = "Created"}},
                       .problems = {409}},
               .handler = noop()},
              {.method = http::Method::get,
               .path = "/a",
               .name = "a",
               .access = kAdmins,
               .doc = {.summary = "a"},
               .handler = noop()}});
  const auto doc = build_openapi(router.routes(), docs);
  const auto& write = doc.at("paths").at("/w").at("post").as_object();
  std::vector<std::string> statuses;
  for (const auto& [status, _] : write.at("responses").as_object()) statuses.emplace_back(status);
  EXPECT_EQ(statuses,
            (std::vector<std::string>{"201", "400", "401", "403", "409", "413", "429", "503"}));
  EXPECT_EQ(write.at("requestBody").at("description").as_string(), "At most 2048 bytes.");
  EXPECT_EQ(write.at("x-min-role").as_string(), "writer");
  const auto& admin = doc.at("paths").at("/a").at("get").at("responses").as_object();
  EXPECT_TRUE(admin.contains("200"));
  EXPECT_FALSE(admin.contains("429")) << "admins are not rate limited";
  EXPECT_FALSE(admin.contains("400")) << "no body, no 400";
}

TEST(OpenApiDocument, AnEntryWithoutNameOrHandlerIsRefused) {
  http::Router router;
  ApiDocs docs;
  EXPECT_THROW(add_routes(router, docs,
                          {{.method = http::Method::get,
                            .path = "/x",
                            .name = "",
                            .access = kReaders,
                            .doc = {},
                            .handler = noop()}}),
               std::invalid_argument);
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
  boost::asio::io_context io;
  cache::CacheSet caches(io, {});
  CachedBackfillJobs cached_jobs(unused, caches);
  CachedFeedbackStats cached_stats(unused, caches);
  http::Router router;
  ApiDocs docs;
  add_backfill_routes(router, {cached_jobs, unused, unused, std::chrono::minutes(10)}, docs);
  add_feedback_routes(router, {cached_stats, unused, unused, unused}, docs);
  add_openapi_routes(router, {.routes = [&router] { return router.routes(); }}, docs);
  const json::object doc = build_openapi(router.routes(), docs);
  for (const auto& route : router.routes()) {
    ASSERT_NE(docs.find(route.options.name), nullptr) << route.options.name << " is not described";
    const auto& op = doc.at("paths").at(route.pattern).as_object().begin()->value();
    EXPECT_NE(op.at("summary").as_string(), route.options.name)
        << route.options.name << " has no summary";
  }
  // Limits are the domain's constants.
  const auto& batch = doc.at("paths").at("/api/v1/feedback/stats/batch").at("post");
  const auto& ids = batch.at("requestBody")
                        .at("content")
                        .at("application/json")
                        .at("schema")
                        .at("properties")
                        .at("insight_ids");
  EXPECT_EQ(ids.at("maxItems").to_number<std::size_t>(), domain::kMaxStatsBatch);
}

}  // namespace
}  // namespace utxoiq::api
