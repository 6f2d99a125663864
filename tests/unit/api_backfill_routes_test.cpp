// The backfill handlers on fakes of the store interfaces (no database): what each outcome of the
// store becomes (404, 409, 422 with the store's fields), that validation answers before the store
// is asked, and that one job is read through the cache (a cache set without Redis): a known job
// once, an unknown id every time.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "api/backfill_routes.hpp"
#include "api/cached_backfill_jobs.hpp"
#include "cache/cache_set.hpp"
#include "domain/backfill_rules.hpp"
#include "http/router.hpp"
#include "support/run_task.hpp"

namespace utxoiq::api {
namespace {

namespace json = boost::json;

class FakeJobs : public store::BackfillJobReader,
                 public store::BackfillJobLister,
                 public store::BackfillJobWriter {
 public:
  Task<std::optional<domain::BackfillJob>> get(const Uuid& id) override {
    if (job && job->id == id) co_return job;
    co_return std::nullopt;
  }
  Task<store::BackfillJobPage> list(const domain::BackfillListQuery&) override {
    store::BackfillJobPage page;
    if (job) page.jobs.push_back(*job);
    page.next = domain::KeysetCursor{domain::CursorKind::backfill_jobs, job->started_at, job->id};
    co_return page;
  }
  Task<domain::BackfillJob> start(const domain::StartJob& request) override {
    ++writes;
    job = domain::new_backfill_job(request, new_uuid_v7(), now_utc());
    co_return *job;
  }
  Task<store::JobWrite> progress(const domain::ProgressUpdate&) override {
    ++writes;
    co_return next_write;
  }
  Task<store::JobWrite> complete(const Uuid&) override { co_return next_write; }
  Task<store::JobWrite> fail(const Uuid&, const domain::FailJob&) override { co_return next_write; }
  Task<store::JobWrite> pause(const Uuid&) override { co_return next_write; }
  Task<store::JobWrite> resume(const Uuid&) override { co_return next_write; }

  std::optional<domain::BackfillJob> job;
  store::JobWrite next_write;
  int writes = 0;
};

// Counts the reads that reach the store.
class CountingReader : public store::BackfillJobReader {
 public:
  explicit CountingReader(store::BackfillJobReader& inner) : inner_(inner) {}
  Task<std::optional<domain::BackfillJob>> get(const Uuid& id) override {
    ++gets;
    co_return co_await inner_.get(id);
  }
  int gets = 0;

 private:
  store::BackfillJobReader& inner_;
};

class BackfillRoutes : public ::testing::Test {
 protected:
  BackfillRoutes() {
    add_backfill_routes(router_, {cached_, jobs_, jobs_, std::chrono::minutes(10)}, docs_);
  }

  http::Response call(http::Method method, const std::string& target, std::string body = {}) {
    http::Request request = http::make_request(method, target, std::move(body));
    const auto match = router_.match(method, request.path);
    if (!match.route) return http::problem_response(http::not_found());
    request.route = match.route;
    request.path_params = match.params;
    try {
      return testing::run_task(io_, match.route->handler(request));
    } catch (const http::Problem& problem) {
      return http::problem_response(problem);
    }
  }
  static std::vector<std::string> fields(const http::Response& response) {
    std::vector<std::string> names;
    const json::value body = json::parse(response.body);
    for (const auto& e : body.at("errors").as_array()) {
      names.emplace_back(e.at("field").as_string());
    }
    return names;
  }

  boost::asio::io_context io_;
  FakeJobs jobs_;
  CountingReader reader_{jobs_};
  cache::CacheSet caches_{io_, {}};
  CachedBackfillJobs cached_{reader_, caches_};
  http::Router router_;
  ApiDocs docs_;
};

TEST_F(BackfillRoutes, StartAnswers201WithTheJob) {
  const auto response = call(http::Method::post, "/api/v1/monitoring/backfill/start",
                             R"({"job_type":"blocks","start_block":1,"end_block":9})");
  EXPECT_EQ(response.status, 201);
  const json::value body = json::parse(response.body);
  EXPECT_EQ(body.at("status").as_string(), "running");
}

TEST_F(BackfillRoutes, InvalidRequestsNeverReachTheStore) {
  EXPECT_EQ(call(http::Method::post, "/api/v1/monitoring/backfill/start", "{}").status, 422);
  EXPECT_EQ(call(http::Method::post, "/api/v1/monitoring/backfill/progress", "[]").status, 400);
  EXPECT_EQ(call(http::Method::post, "/api/v1/monitoring/backfill/x/fail", "{}").status, 422);
  EXPECT_EQ(jobs_.writes, 0);
}

TEST_F(BackfillRoutes, StoreOutcomesBecomeProblems) {
  const std::string body = R"({"job_id":")" + new_uuid_v7().to_string() + R"(","current_block":5})";
  jobs_.next_write.outcome = store::JobWrite::Outcome::not_found;
  EXPECT_EQ(call(http::Method::post, "/api/v1/monitoring/backfill/progress", body).status, 404);
  jobs_.next_write.outcome = store::JobWrite::Outcome::conflict;
  jobs_.next_write.detail = "cannot progress a job that is paused";
  const auto conflict = call(http::Method::post, "/api/v1/monitoring/backfill/progress", body);
  EXPECT_EQ(conflict.status, 409);
  const json::value problem = json::parse(conflict.body);
  EXPECT_EQ(problem.at("detail").as_string(), "cannot progress a job that is paused");
  jobs_.next_write.outcome = store::JobWrite::Outcome::invalid;
  jobs_.next_write.errors = {{"current_block", "must not go below the stored current_block"}};
  const auto invalid = call(http::Method::post, "/api/v1/monitoring/backfill/progress", body);
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(fields(invalid), std::vector<std::string>{"current_block"});
}

TEST_F(BackfillRoutes, GetReadsAKnownJobOnceThroughTheCacheAndAnUnknownIdEveryTime) {
  call(http::Method::post, "/api/v1/monitoring/backfill/start",
       R"({"job_type":"blocks","start_block":1,"end_block":9})");
  const std::string id = jobs_.job->id.to_string();
  for (int i = 0; i < 2; ++i) {
    const auto response = call(http::Method::get, "/api/v1/monitoring/backfill/" + id);
    ASSERT_EQ(response.status, 200);
    const json::value body = json::parse(response.body);
    EXPECT_EQ(body.at("id").as_string(), id);
    EXPECT_FALSE(body.at("stale").as_bool());  // as of this read, not of the cached entry
  }
  EXPECT_EQ(reader_.gets, 1);
  const std::string unknown = "/api/v1/monitoring/backfill/" + new_uuid_v7().to_string();
  EXPECT_EQ(call(http::Method::get, unknown).status, 404);
  EXPECT_EQ(call(http::Method::get, unknown).status, 404);
  EXPECT_EQ(reader_.gets, 3);
}

TEST_F(BackfillRoutes, TheListCarriesTheEncodedNextCursor) {
  call(http::Method::post, "/api/v1/monitoring/backfill/start",
       R"({"job_type":"blocks","start_block":1,"end_block":9})");
  const json::value body =
      json::parse(call(http::Method::get, "/api/v1/monitoring/backfill/status").body);
  const auto cursor =
      domain::decode_cursor(body.at("next_cursor").as_string(), domain::CursorKind::backfill_jobs);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->id, jobs_.job->id);
  EXPECT_EQ(body.at("jobs").as_array().size(), 1u);
}

}  // namespace
}  // namespace utxoiq::api
