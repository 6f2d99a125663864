// The daily job scheduler (ops/scheduler.hpp) on the real PostgreSQL, with a clock the test moves:
// two instances at the scheduled minute run the job once; a slot missed while no instance ran is
// caught up once at the next start; a job waits while the job it runs after is due or running
// anywhere; a failed job records its slot and its error.
#include "ops/scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "pg/blocking_connection.hpp"
#include "support/sql_probe.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

constexpr auto kDay1 = sys_days{2026y / 3 / 10};

// A clock shared by the schedulers of a test.
struct FakeClock {
  std::atomic<std::int64_t> micros{0};
  void set(Timestamp t) { micros = to_unix_micros(t); }
  std::function<Timestamp()> fn() {
    return [this] { return from_unix_micros(micros.load()); };
  }
};

ops::SchedulerOptions options(const std::string& url, FakeClock& clock) {
  return {.database_url = url, .poll_interval = 50ms, .clock = clock.fn()};
}

ops::DailyJob counting_job(std::string name, ops::TimeOfDay at, std::atomic<int>& runs,
                           std::vector<std::string> after = {}) {
  return {std::move(name), at, std::move(after), [&runs] {
            ++runs;
            std::this_thread::sleep_for(300ms);
          }};
}

TEST(Scheduler, TwoInstancesAtTheScheduledMinuteRunTheJobOnce) {
  const auto url = TestServers::get().create_migrated_database();
  FakeClock clock;
  clock.set(kDay1 + 1h + 59min);
  std::atomic<int> runs{0};
  ops::Scheduler a(options(url, clock));
  ops::Scheduler b(options(url, clock));
  a.add(counting_job("retention", 2h, runs));
  b.add(counting_job("retention", 2h, runs));
  EXPECT_TRUE(a.run_due_jobs().empty());  // first sight: the latest slot counts as done
  EXPECT_TRUE(b.run_due_jobs().empty());
  clock.set(kDay1 + 2h + 1s);
  std::vector<std::string> ran_a;
  std::vector<std::string> ran_b;
  std::thread ta([&] { ran_a = a.run_due_jobs(); });
  std::thread tb([&] { ran_b = b.run_due_jobs(); });
  ta.join();
  tb.join();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(ran_a.size() + ran_b.size(), 1u);
  EXPECT_EQ(sql_value(url, "SELECT last_slot = '2026-03-10 02:00:00+00' FROM scheduled_runs"), "t");
  EXPECT_TRUE(a.run_due_jobs().empty());
  EXPECT_TRUE(b.run_due_jobs().empty());
  EXPECT_EQ(runs.load(), 1);
}

TEST(Scheduler, ASlotMissedWhileNoInstanceRanRunsOnceAtTheNextStart) {
  const auto url = TestServers::get().create_migrated_database();
  FakeClock clock;
  clock.set(kDay1 + 1h);
  std::atomic<int> runs{0};
  {
    ops::Scheduler first(options(url, clock));
    first.add(counting_job("retention", 2h, runs));
    EXPECT_TRUE(first.run_due_jobs().empty());
  }
  // Every instance down for three days; the next one starts at 05:00.
  clock.set(kDay1 + days{3} + 5h);
  ops::Scheduler next(options(url, clock));
  next.add(counting_job("retention", 2h, runs));
  next.start();
  for (int i = 0; i < 100 && runs.load() == 0; ++i) std::this_thread::sleep_for(20ms);
  std::this_thread::sleep_for(500ms);  // the thread's later passes run nothing more
  next.stop();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(sql_value(url, "SELECT last_slot = '2026-03-13 02:00:00+00' FROM scheduled_runs"), "t");
}

TEST(Scheduler, AJobWaitsWhileTheJobItRunsAfterIsDueOrRunning) {
  const auto url = TestServers::get().create_migrated_database();
  FakeClock clock;
  clock.set(kDay1);
  std::atomic<int> backups{0};
  std::atomic<int> retentions{0};
  std::vector<std::string> order;
  ops::Scheduler scheduler(options(url, clock));
  scheduler.add(counting_job("backup", 1h, backups));
  scheduler.add(counting_job("retention", 2h, retentions, {"backup"}));
  EXPECT_TRUE(scheduler.run_due_jobs().empty());
  // Both missed: at 01:30 the retention slot (yesterday 02:00) is older than the backup slot
  // (01:00), and still the backup runs first.
  clock.set(kDay1 + days{1} + 1h + 30min);
  EXPECT_EQ(scheduler.run_due_jobs(), (std::vector<std::string>{"backup", "retention"}));

  // The next day the backup runs in another instance (its lock is held) past 02:00.
  clock.set(kDay1 + days{2} + 2h + 5min);
  pg::BlockingConnection other(url);
  other.exec("SELECT pg_advisory_lock(hashtextextended('utxoiq.scheduler.backup', 0))");
  other.exec("UPDATE scheduled_runs SET last_slot = '2026-03-12 01:00:00+00' WHERE job = 'backup'");
  EXPECT_TRUE(scheduler.run_due_jobs().empty());
  EXPECT_EQ(retentions.load(), 1);
  other.exec("SELECT pg_advisory_unlock(hashtextextended('utxoiq.scheduler.backup', 0))");
  EXPECT_EQ(scheduler.run_due_jobs(), std::vector<std::string>{"retention"});
  EXPECT_EQ(backups.load(), 1);
  EXPECT_EQ(retentions.load(), 2);
}

TEST(Scheduler, AFailedJobRecordsItsSlotAndError) {
  const auto url = TestServers::get().create_migrated_database();
  FakeClock clock;
  clock.set(kDay1);
  ops::Scheduler scheduler(options(url, clock));
  scheduler.add({"retention", 2h, {}, [] { throw std::runtime_error("archive dir read-only"); }});
  EXPECT_TRUE(scheduler.run_due_jobs().empty());
  clock.set(kDay1 + 3h);
  EXPECT_EQ(scheduler.run_due_jobs(), std::vector<std::string>{"retention"});
  EXPECT_EQ(sql_value(url, "SELECT error FROM scheduled_runs"), "archive dir read-only");
  EXPECT_TRUE(scheduler.run_due_jobs().empty());  // retried at the next slot, not in a loop
}

}  // namespace
}  // namespace utxoiq::testing
