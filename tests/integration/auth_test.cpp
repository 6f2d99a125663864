// api.md "Authentication and roles": Bearer or X-API-Key; 401 (with WWW-Authenticate) without a
// key or with an unknown or revoked one; 403 for a role too low; the roles of each kind of route;
// the bootstrap admin key; a new key accepted at once, a revoked one refused within 5 s; and
// last_used_at recorded in the background.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "domain/api_key.hpp"
#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"
#include "support/sql_probe.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

const std::string kRate = "/api/v1/feedback/rate";
const json::object kRating{{"insight_id", "i"}, {"user_id", "u"}, {"rating", 4}};

class Auth : public ::testing::Test {
 protected:
  HttpClient with_key(const std::string& role) {
    return service_.client(create_api_key(service_.database_url(), role).key);
  }

  ServiceUnderTest service_;
};

TEST_F(Auth, OpenRoutesNeedNoKey) {
  auto client = service_.client("");
  for (const std::string path : {"/healthz", "/readyz", "/metrics", "/openapi.json"}) {
    EXPECT_EQ(client.get(path).status, 200) << path;
  }
}

TEST_F(Auth, AKeyedRouteWithoutAKeyIs401WithWwwAuthenticate) {
  auto client = service_.client("");
  for (const auto& response :
       {client.get("/api/v1/monitoring/backfill/status"), client.post(kRate, kRating),
        client.get("/api/v1/feedback/stats?insight_id=i"), client.del("/api/v1/feedback/user/u")}) {
    EXPECT_EQ(response.status, 401) << response.body;
    EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
    EXPECT_EQ(response.header("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(response.json().as_object().at("status").as_int64(), 401);
  }
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(*) FROM insight_feedback"), 0);
}

TEST_F(Auth, AnUnknownKeyIs401) {
  for (const std::string& key :
       {std::string("uiq_not-a-key-we-made"), std::string("x"), std::string(600, 'k')}) {
    auto client = service_.client(key);
    const auto response = client.get("/api/v1/monitoring/backfill/status");
    EXPECT_EQ(response.status, 401) << key.substr(0, 20);
    EXPECT_EQ(response.header("WWW-Authenticate"), "Bearer");
  }
  auto client = service_.client("");
  for (const std::string authorization : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", ""}) {
    EXPECT_EQ(
        client.get("/api/v1/monitoring/backfill/status", {{"Authorization", authorization}}).status,
        401)
        << authorization;
  }
}

TEST_F(Auth, TheKeyMayComeAsBearerOrAsXApiKey) {
  const auto key = create_api_key(service_.database_url(), "reader").key;
  auto client = service_.client("");
  EXPECT_EQ(client.get("/api/v1/monitoring/backfill/status", {{"X-API-Key", key}}).status, 200);
  EXPECT_EQ(
      client.get("/api/v1/monitoring/backfill/status", {{"Authorization", "bearer " + key}}).status,
      200);
  EXPECT_EQ(
      client.get("/api/v1/monitoring/backfill/status", {{"Authorization", "Bearer  " + key + " "}})
          .status,
      200);
}

TEST_F(Auth, ReadersReadWritersWriteAdminsErase) {
  auto reader = with_key("reader");
  auto writer = with_key("writer");
  auto admin = service_.client();

  // Reads: every role.
  for (auto* client : {&reader, &writer, &admin}) {
    EXPECT_EQ(client->get("/api/v1/monitoring/backfill/status").status, 200);
    EXPECT_EQ(client->get("/api/v1/feedback?limit=1").status, 200);
    EXPECT_EQ(client->get("/api/v1/feedback/stats?insight_id=i").status, 200);
    EXPECT_EQ(
        client
            ->post("/api/v1/feedback/stats/batch", json::object{{"insight_ids", json::array{"i"}}})
            .status,
        200);
  }
  // Writes: writer and admin.
  const auto refused = reader.post(kRate, kRating);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(reader
                .post("/api/v1/monitoring/backfill/start",
                      json::object{{"job_type", "b"}, {"start_block", 0}, {"end_block", 1}})
                .status,
            403);
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(*) FROM backfill_jobs"), 0);
  EXPECT_EQ(writer.post(kRate, kRating).status, 201);
  EXPECT_EQ(admin.post(kRate, kRating).status, 200);
  const auto job = start_job(writer);
  EXPECT_EQ(
      writer
          .post("/api/v1/monitoring/backfill/" + std::string(job.at("id").as_string()) + "/pause",
                std::string_view("{}"))
          .status,
      200);
  // Erasure: admin only.
  EXPECT_EQ(writer.del("/api/v1/feedback/user/u").status, 403);
  EXPECT_EQ(admin.del("/api/v1/feedback/user/u").status, 200);
}

TEST_F(Auth, TheBootstrapKeyIsStoredOnlyAsAnAdminKeysHash) {
  const std::string hash = domain::api_key_hash(ServiceUnderTest::kAdminKey);
  EXPECT_EQ(sql_value(service_.database_url(),
                      "SELECT role FROM api_keys WHERE key_hash = '" + hash + "'"),
            "admin");
  EXPECT_EQ(sql_count(service_.database_url(),
                      std::string("SELECT count(*) FROM api_keys WHERE key_hash = '") +
                          ServiceUnderTest::kAdminKey + "' OR name LIKE '%" +
                          ServiceUnderTest::kAdminKey + "%'"),
            0);
  // A restart upserts it again rather than adding a second row.
  service_.restart();
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(*) FROM api_keys"), 1);
  EXPECT_EQ(service_.client().get("/api/v1/monitoring/backfill/status").status, 200);
}

TEST_F(Auth, ARevokedBootstrapKeyStaysRevokedAcrossRestarts) {
  const std::string hash = domain::api_key_hash(ServiceUnderTest::kAdminKey);
  sql_exec(service_.database_url(),
           "UPDATE api_keys SET revoked_at = now() WHERE key_hash = '" + hash + "'");
  service_.restart();  // starts, with a warning, without the key
  EXPECT_EQ(service_.client().get("/api/v1/monitoring/backfill/status").status, 401);
  EXPECT_EQ(sql_count(service_.database_url(),
                      "SELECT count(*) FROM api_keys WHERE revoked_at IS NULL AND key_hash = '" +
                          hash + "'"),
            0);
}

TEST_F(Auth, AnExistingKeyWithTheBootstrapHashKeepsItsRole) {
  const std::string hash = domain::api_key_hash(ServiceUnderTest::kAdminKey);
  sql_exec(service_.database_url(),
           "UPDATE api_keys SET role = 'reader' WHERE key_hash = '" + hash + "'");
  service_.restart();
  EXPECT_EQ(sql_value(service_.database_url(),
                      "SELECT role FROM api_keys WHERE key_hash = '" + hash + "'"),
            "reader");
}

TEST_F(Auth, AKeyCreatedWhileServingIsAcceptedAtOnce) {
  auto client = with_key("writer");
  EXPECT_EQ(client.post(kRate, kRating).status, 201);
}

TEST_F(Auth, ARevokedKeyIsRefusedWithinFiveSeconds) {
  const auto key = create_api_key(service_.database_url(), "reader");
  auto client = service_.client(key.key);
  ASSERT_EQ(client.get("/api/v1/monitoring/backfill/status").status, 200);
  revoke_api_key(service_.database_url(), key.id);
  const auto revoked_at = std::chrono::steady_clock::now();
  int status = 200;
  while (status != 401 && std::chrono::steady_clock::now() - revoked_at < 5s) {
    std::this_thread::sleep_for(100ms);
    status = client.get("/api/v1/monitoring/backfill/status").status;
  }
  EXPECT_EQ(status, 401) << "still accepted 5 s after the revocation";
  EXPECT_EQ(client.get("/api/v1/feedback/stats?insight_id=i").status, 401);
}

TEST_F(Auth, LastUsedAtIsRecordedInTheBackground) {
  const auto key = create_api_key(service_.database_url(), "reader");
  const std::string query = "SELECT last_used_at::text FROM api_keys WHERE id = '" + key.id + "'";
  EXPECT_EQ(sql_value(service_.database_url(), query), std::nullopt);
  auto client = service_.client(key.key);
  ASSERT_EQ(client.get("/api/v1/monitoring/backfill/status").status, 200);
  std::optional<std::string> used;
  for (int i = 0; i < 100 && !used; ++i) {
    std::this_thread::sleep_for(100ms);
    used = sql_value(service_.database_url(), query);
  }
  EXPECT_TRUE(used) << "last_used_at not written within 10 s";
}

}  // namespace
}  // namespace utxoiq::testing
