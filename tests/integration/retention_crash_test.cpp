// Retention killed at each step (issue 13, "a crash at any point"): the run is done in a forked
// child that SIGKILLs itself at a stage (after the archive is written but before its read-back,
// after it is verified but before any delete, after the first committed delete batch); the next
// run completes it. Then every row that was expired is in exactly one archive and no longer in
// its table, and every other row is untouched. Its own binary: it forks.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "ops/directory_archive_sink.hpp"
#include "ops/retention.hpp"
#include "support/retention_fixtures.hpp"
#include "support/sql_probe.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

struct Table {
  const char* name;
  const char* expired;
};

constexpr Table kTables[] = {
    {"backfill_jobs",
     "started_at < now() - interval '180 days' AND status IN ('completed', 'failed')"},
    {"insight_feedback", "updated_at < now() - interval '730 days'"},
    {"system_metrics", "\"timestamp\" < now() - interval '90 days'"},
};

ops::RetentionOptions small_steps(Timestamp now) {
  ops::RetentionOptions options;
  options.now = now;
  options.chunk_rows = 3;
  options.delete_batch = 2;
  return options;
}

// Runs retention in a child process that kills itself at the `occurrence`-th `stage`.
void run_and_kill_at(const std::string& url, const std::filesystem::path& dir, Timestamp now,
                     const std::string& stage, int occurrence) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ops::DirectoryArchiveSink sink(dir);
    auto options = small_steps(now);
    int seen = 0;
    options.on_stage = [&](std::string_view at, const std::string&) {
      if (at == stage && ++seen == occurrence) ::raise(SIGKILL);
    };
    ops::run_retention(url, sink, options);
    ::_exit(0);  // not reached when the stage comes
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child was not killed";
}

void check_killed_run_is_completed(const std::string& stage, int occurrence) {
  const auto url = TestServers::get().create_migrated_database();
  const auto dir = make_temp_dir("retention-crash");
  const auto seed = seed_retention_data(url, now_utc());
  std::map<std::string, std::set<std::string>> expired;
  std::map<std::string, std::set<std::string>> kept;
  for (const auto& t : kTables) {
    expired[t.name] = row_texts(url, t.name, t.expired);
    kept[t.name] = row_texts(url, t.name, std::string("NOT (") + t.expired + ")");
  }
  run_and_kill_at(url, dir, seed.now, stage, occurrence);
  EXPECT_EQ(sql_value(url, "SELECT status FROM retention_runs"), "running");

  ops::DirectoryArchiveSink sink(dir);
  const auto next = ops::run_retention(url, sink, small_steps(seed.now));
  ASSERT_EQ(next.status, "succeeded") << next.error;
  for (const auto& t : kTables) {
    const auto& rows = expired[t.name];
    EXPECT_EQ(archived_rows(dir, t.name), std::multiset<std::string>(rows.begin(), rows.end()))
        << t.name << " at " << stage;
    EXPECT_TRUE(row_texts(url, t.name, t.expired).empty()) << t.name;
    EXPECT_EQ(row_texts(url, t.name), kept[t.name]) << t.name;
  }
  EXPECT_TRUE(feedback_stats_exact(url));
  EXPECT_EQ(sql_value(url, "SELECT error FROM retention_runs ORDER BY id LIMIT 1"),
            "interrupted; completed by run " + std::to_string(next.run_id));
  EXPECT_EQ(sql_count(url,
                      "SELECT count(*) FROM retention_archives WHERE state IN ('written', "
                      "'verified')"),
            0);
}

TEST(RetentionCrash, KilledAfterTheArchiveIsWrittenBeforeItsReadBack) {
  check_killed_run_is_completed("written", 2);
}

TEST(RetentionCrash, KilledBetweenTheVerifiedArchiveAndTheDelete) {
  check_killed_run_is_completed("verified", 2);
}

TEST(RetentionCrash, KilledMidDelete) {
  check_killed_run_is_completed("deleted_batch", 1);
}

}  // namespace
}  // namespace utxoiq::testing
