// The Idempotency-Key header of the metric writes (api.md, "Metrics": "a retried batch inserts
// once (keys remembered 24 h); the retry gets the first answer"), against the real PostgreSQL:
// sequential and concurrent retries write once and get the first status and body, the same key
// with another request is refused (422, see api/idempotency_key.hpp), invalid headers are named,
// and keys past their 24 hours are forgotten and deleted.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/metric_fixtures.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSingle = "/api/v1/monitoring/metrics";
constexpr const char* kBatch = "/api/v1/monitoring/metrics/batch";

class MetricsIdempotency : public ::testing::Test {
 protected:
  std::string batch_body(int points, double value = 1) {
    std::vector<Point> list;
    for (int i = 0; i < points; ++i) list.push_back({"svc", "cpu", value, hour_ + i * 1s});
    return boost::json::serialize(batch_json(list));
  }
  HttpResponse post(const char* path, const std::string& body, const std::string& key) {
    return client_.post(path, std::string_view(body), {{"Idempotency-Key", key}});
  }
  std::int64_t stored() {
    return sql_count(service_.database_url(), "SELECT count(*) FROM system_metrics");
  }
  std::int64_t rollup_count() {
    return sql_count(service_.database_url(),
                     "SELECT coalesce(sum(count), 0) FROM system_metrics_hourly");
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
  Timestamp hour_ = std::chrono::floor<std::chrono::hours>(now_utc() - 2h);
};

TEST_F(MetricsIdempotency, ARetriedBatchInsertsOnceAndGetsTheFirstAnswer) {
  const auto body = batch_body(100);
  const auto first = post(kBatch, body, "batch-0001");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.body, R"({"inserted":100})");
  EXPECT_FALSE(first.has_header("Idempotent-Replayed"));
  for (int retry = 0; retry < 3; ++retry) {
    const auto again = post(kBatch, body, "batch-0001");
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("Content-Type"), "application/json");
    EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  }
  EXPECT_EQ(stored(), 100);
  EXPECT_EQ(rollup_count(), 100);  // the rollups were not counted twice either
  // Another key is another write.
  EXPECT_EQ(post(kBatch, body, "batch-0002").status, 201);
  EXPECT_EQ(stored(), 200);
  // Without a key, nothing is deduplicated.
  EXPECT_EQ(client_.post(kBatch, std::string_view(body)).status, 201);
  EXPECT_EQ(stored(), 300);
}

TEST_F(MetricsIdempotency, ARetriedSinglePointGetsTheSameIdAndIsStoredOnce) {
  const auto body = boost::json::serialize(metric_json({"svc", "cpu", 7, hour_}));
  const auto first = post(kSingle, body, "point-1");
  ASSERT_EQ(first.status, 201) << first.body;
  const auto again = post(kSingle, body, "point-1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json().at("id"), first.json().at("id"));
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(stored(), 1);
}

TEST_F(MetricsIdempotency, ConcurrentRequestsWithTheSameKeyInsertOnce) {
  const auto body = batch_body(2000);
  constexpr int kClients = 8;
  std::vector<HttpResponse> responses(kClients);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      auto client = service_.client();
      ASSERT_EQ(client.get("/healthz").status, 200);  // connected before the start line
      ready.fetch_add(1);
      while (ready.load() < kClients) std::this_thread::yield();
      // One key may have 2 batches in flight (api/heavy_request_limit.hpp); the others are
      // told 429 and come back, as a client would.
      for (int attempt = 0; attempt < 500; ++attempt) {
        responses[i] =
            client.post(kBatch, std::string_view(body), {{"Idempotency-Key", "same-key-for-all"}});
        if (responses[i].status != 429) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int replayed = 0;
  for (const auto& response : responses) {
    EXPECT_EQ(response.status, 201) << response.body;
    EXPECT_EQ(response.body, R"({"inserted":2000})");
    replayed += response.header("Idempotent-Replayed") == "true";
  }
  EXPECT_EQ(replayed, kClients - 1);
  EXPECT_EQ(stored(), 2000);
  EXPECT_EQ(rollup_count(), 2000);
}

TEST_F(MetricsIdempotency, TheSameKeyWithAnotherRequestIsRefusedAndWritesNothing) {
  ASSERT_EQ(post(kBatch, batch_body(10), "reused").status, 201);
  const auto other_body = post(kBatch, batch_body(10, 2), "reused");
  EXPECT_EQ(other_body.status, 422);
  EXPECT_EQ(other_body.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(other_body.error_fields(), std::vector<std::string>{"Idempotency-Key"});
  // The same bytes on the other endpoint are another request too. This body is valid on both:
  // each endpoint ignores the members it does not know.
  auto both = metric_json({"svc", "cpu", 1, hour_});
  both["metrics"] = boost::json::array{metric_json({"svc", "cpu", 1, hour_})};
  const auto text = boost::json::serialize(both);
  ASSERT_EQ(post(kSingle, text, "endpoint-key").status, 201);
  const auto other_endpoint = post(kBatch, text, "endpoint-key");
  EXPECT_EQ(other_endpoint.status, 422);
  EXPECT_EQ(other_endpoint.error_fields(), std::vector<std::string>{"Idempotency-Key"});
  EXPECT_EQ(post(kBatch, text, "another-key").status, 201);
  EXPECT_EQ(stored(), 12);
}

TEST_F(MetricsIdempotency, AnInvalidBatchIsNotRememberedUnderItsKey) {
  const auto invalid = post(kBatch, R"({"metrics":[{"service_name":"svc"}]})", "fix-and-retry");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(post(kBatch, batch_body(3), "fix-and-retry").status, 201);
  EXPECT_EQ(stored(), 3);
}

TEST_F(MetricsIdempotency, InvalidKeysAreNamedTogetherWithTheBodysInvalidFields) {
  const auto body = batch_body(1);
  for (const std::string& key : {std::string(), std::string(256, 'k'), std::string("has space"),
                                 std::string("tab\there"), std::string("caf\xc3\xa9")}) {
    const auto response = post(kBatch, body, key);
    EXPECT_EQ(response.status, 422) << key;
    EXPECT_EQ(response.error_fields(), std::vector<std::string>{"Idempotency-Key"}) << key;
  }
  const auto both = post(kBatch, R"({"metrics":[{"service_name":"svc","metric_type":"cpu",
      "unit":"ms"}]})",
                         "");
  EXPECT_EQ(both.error_fields(),
            (std::vector<std::string>{"Idempotency-Key", "metrics[0].metric_value"}));
  EXPECT_EQ(stored(), 0);
  // The longest allowed key, of every visible ASCII character.
  std::string longest;
  for (int i = 0; i < 255; ++i) longest.push_back(static_cast<char>(0x21 + i % 94));
  EXPECT_EQ(post(kBatch, body, longest).status, 201);
}

TEST_F(MetricsIdempotency, KeysOlderThan24HoursAreForgottenAndDeletedByTheService) {
  const auto body = batch_body(5);
  ASSERT_EQ(post(kBatch, body, "old-key").status, 201);
  ASSERT_EQ(post(kBatch, body, "fresh-key").status, 201);
  const auto url = service_.database_url();
  EXPECT_GT(sql_count(url,
                      "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = "
                      "'fresh-key' AND expires_at > now() + interval '23 hours 59 minutes'"),
            0);
  sql_exec(url,
           "UPDATE idempotency_keys SET created_at = now() - interval '25 hours', "
           "expires_at = now() - interval '1 hour' WHERE idempotency_key = 'old-key'");
  // An expired key is a new key: the retry writes again.
  const auto again = post(kBatch, body, "old-key");
  EXPECT_EQ(again.status, 201);
  EXPECT_FALSE(again.has_header("Idempotent-Replayed"));
  EXPECT_EQ(stored(), 15);

  // The maintenance pass (at start, then hourly) deletes expired keys and keeps the others.
  sql_exec(url,
           "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' "
           "WHERE idempotency_key = 'old-key'");
  service_.restart();
  EXPECT_EQ(
      sql_count(url, "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'old-key'"), 0);
  EXPECT_EQ(
      sql_count(url, "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'fresh-key'"),
      1);
}

}  // namespace
}  // namespace utxoiq::testing
