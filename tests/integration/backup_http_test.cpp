// The backup endpoints of the running service (api/backup_routes, app/backup_jobs): a backup and
// its listing; a flipped byte makes the verify fail, sets the failure metric and delivers the
// webhook alert to a test HTTP server within seconds; a second request while one runs is a 409;
// bad input to every endpoint is refused (422/404/403) and changes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "pg/blocking_connection.hpp"
#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"
#include "support/sql_probe.hpp"
#include "support/webhook_receiver.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kRun = "/api/v1/monitoring/backup/run";
constexpr std::string_view kList = "/api/v1/monitoring/backup";
constexpr std::string_view kVerify = "/api/v1/monitoring/backup/verify";

class BackupHttpTest : public ::testing::Test {
 protected:
  BackupHttpTest()
      : dir_(fs::temp_directory_path() / ("utxoiq-backup-http-" + new_uuid_v7().to_string())),
        service_({.redis = true,
                  .configure =
                      [this](app::ServeConfig& config) {
                        config.backup.dir = (dir_ / "primary").string();
                        config.backup.mirror_dir = (dir_ / "mirror").string();
                        config.alert_webhook = receiver_.url();
                      },
                  .database_url = {}}) {}
  ~BackupHttpTest() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  void SetUp() override { fs::create_directories(dir_ / "mirror"); }

  fs::path dir_;
  WebhookReceiver receiver_;
  ServiceUnderTest service_;
};

// A POST with a raw body (HttpClient::post is overloaded for JSON values too).
HttpResponse send(HttpClient& client, std::string_view target, std::string_view body) {
  return client.post(target, body);
}

double metric_value(HttpClient& client, const std::string& series) {
  const auto body = client.get("/metrics").body;
  const auto at = body.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(body.substr(at + series.size() + 2));
}

TEST_F(BackupHttpTest, FlippedByteFailsVerifyAndAlerts) {
  auto client = service_.client();
  const std::string verify_failures = "utxoiq_backup_failures_total{stage=\"verify\"}";
  const double failures_before = metric_value(client, verify_failures);
  EXPECT_GE(failures_before, 0);  // registered at start

  const auto run = send(client, kRun, "");
  ASSERT_EQ(run.status, 200) << run.body;
  const auto backup = run.json().at("backup").as_object();
  EXPECT_EQ(backup.at("status").as_string(), "succeeded");
  EXPECT_EQ(backup.at("kind").as_string().size() > 0, true);
  EXPECT_GT(metric_value(client, "utxoiq_backup_last_success_timestamp_seconds"), 1e9);

  const auto listed = client.get(kList);
  ASSERT_EQ(listed.status, 200);
  const auto listed_json = listed.json();
  ASSERT_EQ(listed_json.at("backups").as_array().size(), 1u);
  const auto& row = listed_json.at("backups").as_array()[0].as_object();
  for (const char* field : {"id", "kind", "started_at", "finished_at", "bytes", "location",
                            "sha256", "verified_at", "verify_result"}) {
    EXPECT_TRUE(row.contains(field)) << field;
  }

  const auto good = send(client, kVerify, "{}");
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_TRUE(good.json().at("passed").as_bool());
  EXPECT_GT(metric_value(client, "utxoiq_backup_verify_last_success_timestamp_seconds"), 1e9);

  const std::string location(row.at("location").as_string());
  const fs::path file = location.substr(std::string("file://").size());
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x7f');
  }
  const auto bad =
      send(client, kVerify, R"({"id": ")" + std::string(row.at("id").as_string()) + R"("})");
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_FALSE(bad.json().at("passed").as_bool());
  EXPECT_EQ(bad.json().at("backup").at("verify_result").as_string(), "failed");
  EXPECT_EQ(metric_value(client, verify_failures), failures_before + 1);
  EXPECT_TRUE(receiver_.wait_for("UtxoiqBackupVerifyFailed", 10s));
  const auto alert = receiver_.bodies().back();
  EXPECT_NE(alert.find(R"("severity":"critical")"), std::string::npos) << alert;
  EXPECT_NE(alert.find(R"("stage":"verify")"), std::string::npos) << alert;
}

TEST_F(BackupHttpTest, ASecondRequestWhileOneRunsIsAConflict) {
  // Another instance holds the backup lock: this one answers 409 at once.
  pg::BlockingConnection holder(service_.database_url());
  holder.exec("SELECT pg_advisory_lock(hashtext('utxoiq.backup'))");
  auto client = service_.client();
  EXPECT_EQ(send(client, kRun, "").status, 409);
  EXPECT_EQ(send(client, kVerify, "").status, 409);
  holder.exec("SELECT pg_advisory_unlock(hashtext('utxoiq.backup'))");

  // Two at once in this instance: one runs, the other is refused.
  auto first = std::async(std::launch::async, [this] {
    auto own = service_.client();
    return send(own, kRun, "");
  });
  auto second = std::async(std::launch::async, [this] {
    auto own = service_.client();
    return send(own, kRun, "");
  });
  std::vector<int> statuses{first.get().status, second.get().status};
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{200, 409}));
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(*) FROM backups"), 1);
}

TEST_F(BackupHttpTest, BadInputIsRefusedAndChangesNothing) {
  auto client = service_.client();
  EXPECT_EQ(send(client, kRun, "not json").status, 400);
  EXPECT_EQ(send(client, kVerify, "[1]").status, 400);
  const auto bad_id = send(client, kVerify, R"({"id": "nope"})");
  EXPECT_EQ(bad_id.status, 422);
  EXPECT_EQ(bad_id.error_fields(), std::vector<std::string>{"id"});
  const auto both = send(client, kVerify, R"({"id": 5, "extra": true})");
  EXPECT_EQ(both.status, 422);
  EXPECT_EQ(both.error_fields(), std::vector<std::string>{"id"});  // unknown members are ignored
  const auto nothing = send(client, kVerify, "");
  EXPECT_EQ(nothing.status, 404);  // no backup yet
  const auto unknown = send(client, kVerify, R"({"id": ")" + new_uuid_v7().to_string() + R"("})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(*) FROM backups"), 0);

  const auto writer_key = create_api_key(service_.database_url(), "writer");
  std::this_thread::sleep_for(2500ms);  // the key ring reloads every 2 s
  auto writer = service_.client(writer_key.key);
  EXPECT_EQ(send(writer, kRun, "").status, 403);
  EXPECT_EQ(writer.get(kList).status, 403);
  EXPECT_EQ(send(writer, kVerify, "").status, 403);
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(*) FROM backups"), 0);
}

TEST_F(BackupHttpTest, TheServiceSchedulesTheBackupAndTheVerifyAtOne) {
  // A job seen for the first time records its latest slot (ops/scheduler.hpp): 01:00 UTC.
  const std::string query =
      "SELECT count(*) FROM scheduled_runs WHERE job IN ('backup', 'backup_verify') "
      "AND extract(hour FROM last_slot AT TIME ZONE 'UTC') = 1 "
      "AND extract(minute FROM last_slot AT TIME ZONE 'UTC') = 0";
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (sql_count(service_.database_url(), query) < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(sql_count(service_.database_url(), query), 2);
}

}  // namespace
}  // namespace utxoiq::testing
