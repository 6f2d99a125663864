// `utxoiq-store keys create --role R [--name N] | list | revoke ID` against a real database, run
// in-process through the same entry point as the binary: the printed key works against a running
// service at once, only its hash is stored, list shows it without the key, and revoke makes the
// service refuse it.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "app/cli.hpp"
#include "app/exit_codes.hpp"
#include "domain/api_key.hpp"
#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

struct CliRun {
  int code = 0;
  std::string out;
};

CliRun run(std::vector<std::string> args) {
  args.insert(args.begin(), "utxoiq-store");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  ::testing::internal::CaptureStdout();
  const int code = app::run_cli(static_cast<int>(argv.size()), argv.data());
  return {code, ::testing::internal::GetCapturedStdout()};
}

// The value after "NAME: " on its own line of `out`.
std::string field(const std::string& out, const std::string& name) {
  const auto at = out.find(name + ": ");
  if (at == std::string::npos) return {};
  const auto start = at + name.size() + 2;
  return out.substr(start, out.find('\n', start) - start);
}

TEST(KeysCli, CreateListRevoke) {
  ServiceUnderTest service;
  const std::string url = service.database_url();

  const auto created =
      run({"keys", "create", "--role", "writer", "--name", "ingest job", "--database-url", url});
  ASSERT_EQ(created.code, app::kExitOk) << created.out;
  const std::string key = field(created.out, "key");
  const std::string id = field(created.out, "id");
  EXPECT_EQ(field(created.out, "role"), "writer");
  EXPECT_EQ(field(created.out, "name"), "ingest job");
  EXPECT_EQ(key.rfind("uiq_", 0), 0u) << created.out;
  EXPECT_EQ(key.size(), 47u);
  EXPECT_EQ(sql_value(url, "SELECT key_hash FROM api_keys WHERE id = '" + id + "'"),
            domain::api_key_hash(key));
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM api_keys WHERE key_hash = '" + key + "'"), 0);

  auto client = service.client(key);
  EXPECT_EQ(client
                .post("/api/v1/feedback/rate",
                      boost::json::object{{"insight_id", "i"}, {"user_id", "u"}, {"rating", 1}})
                .status,
            201);

  const auto listed = run({"keys", "list", "--database-url", url});
  ASSERT_EQ(listed.code, app::kExitOk);
  EXPECT_NE(listed.out.find(id), std::string::npos);
  EXPECT_NE(listed.out.find("ingest job"), std::string::npos);
  EXPECT_EQ(listed.out.find(key), std::string::npos) << "list must never show a key";

  const auto revoked = run({"keys", "revoke", id, "--database-url", url});
  EXPECT_EQ(revoked.code, app::kExitOk) << revoked.out;
  EXPECT_EQ(run({"keys", "revoke", id, "--database-url", url}).code, app::kExitOk)
      << "revoking twice is fine";
  int status = 200;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (status != 401 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    status = client.get("/api/v1/feedback/stats?insight_id=i").status;
  }
  EXPECT_EQ(status, 401);
  EXPECT_NE(run({"keys", "list", "--database-url", url}).out.find("revoked"), std::string::npos);
}

TEST(KeysCli, BadArgumentsAreUsageErrors) {
  ServiceUnderTest service;
  const std::string url = service.database_url();
  EXPECT_EQ(run({"keys", "create", "--role", "root", "--database-url", url}).code, app::kExitUsage);
  EXPECT_EQ(run({"keys", "create", "--database-url", url}).code, app::kExitUsage);
  EXPECT_EQ(run({"keys", "create", "--role", "reader", "--name", std::string(101, 'n'),
                 "--database-url", url})
                .code,
            app::kExitUsage);
  EXPECT_EQ(run({"keys", "revoke", "not-a-uuid", "--database-url", url}).code, app::kExitUsage);
  EXPECT_EQ(
      run({"keys", "revoke", "01a2331e-a49c-7641-9547-221f96481100", "--database-url", url}).code,
      app::kExitFailure);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM api_keys"), 1) << "only the bootstrap key";
}

}  // namespace
}  // namespace utxoiq::testing
