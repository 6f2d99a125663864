// See scheduler.hpp.
#include "ops/scheduler.hpp"

#include <algorithm>
#include <cassert>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "obs/logging.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {

namespace {

// The advisory lock key of a job, computed by the server so every instance agrees.
constexpr const char* kLockKey = "hashtextextended('utxoiq.scheduler.' || $1, 0)";

std::string micros_text(Timestamp t) {
  return std::to_string(to_unix_micros(t));
}

const std::string kAsTimestamp = "('epoch'::timestamptz + $2::bigint * interval '1 microsecond')";

std::map<std::string, Timestamp> last_slots(pg::BlockingConnection& connection) {
  const auto result = connection.exec(
      "SELECT job, (extract(epoch FROM last_slot) * 1000000)::bigint FROM scheduled_runs");
  std::map<std::string, Timestamp> slots;
  for (const auto& row : result.rows) {
    assert(row[0] && row[1]);
    slots.emplace(*row[0], from_unix_micros(std::stoll(*row[1])));
  }
  return slots;
}

bool query_flag(pg::BlockingConnection& connection, const std::string& sql,
                const std::string& job) {
  const auto result = connection.exec_params(sql, {job});
  assert(result.rows.size() == 1 && result.rows[0][0]);
  return *result.rows[0][0] == "t";
}

// True while the job's advisory lock is held by any session (its run is in progress somewhere).
bool is_running(pg::BlockingConnection& connection, const std::string& job) {
  return query_flag(connection,
                    std::string("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = "
                                "'advisory' AND objsubid = 1 AND granted AND classid::bigint = "
                                "(k >> 32) & 4294967295 AND objid::bigint = k & 4294967295) "
                                "FROM (SELECT ") +
                        kLockKey + " AS k) AS key",
                    job);
}

void unlock(pg::BlockingConnection& connection, const std::string& job) {
  connection.exec_params(std::string("SELECT pg_advisory_unlock(") + kLockKey + ")", {job});
}

}  // namespace

struct Scheduler::Impl {
  explicit Impl(SchedulerOptions o) : options(std::move(o)) {}

  SchedulerOptions options;
  std::vector<DailyJob> jobs;
  std::optional<pg::BlockingConnection> connection;
  bool seeded = false;
  std::mutex pass_mutex;  // one pass at a time

  std::mutex mutex;  // guards stopping
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;

  pg::BlockingConnection& connect() {
    if (connection && !connection->is_ok()) connection.reset();
    if (!connection) connection.emplace(options.database_url.get());
    return *connection;
  }

  const DailyJob* find(const std::string& name) const {
    for (const auto& job : jobs) {
      if (job.name == name) return &job;
    }
    return nullptr;
  }

  // A job seen for the first time counts its latest slot as done.
  void seed(pg::BlockingConnection& c) {
    for (const auto& job : jobs) {
      c.exec_params("INSERT INTO scheduled_runs (job, last_slot) VALUES ($1, " + kAsTimestamp +
                        ") ON CONFLICT (job) DO NOTHING",
                    {job.name, micros_text(latest_slot(options.clock(), job.time_of_day))});
    }
    seeded = true;
  }

  // True while one of the job's `after` jobs is due or running.
  bool waits(pg::BlockingConnection& c, const DailyJob& job,
             const std::map<std::string, Timestamp>& slots) {
    for (const auto& name : job.after) {
      const DailyJob* before = find(name);
      if (before == nullptr) continue;
      const auto last = slots.find(name);
      const bool due =
          last == slots.end() || is_due(options.clock(), before->time_of_day, last->second);
      if (due || is_running(c, name)) {
        obs::log_info("scheduled job waits for the job it runs after",
                      {{"job", job.name}, {"after", name}});
        return true;
      }
    }
    return false;
  }

  void run_job(const DailyJob& job, Timestamp slot, pg::BlockingConnection& c) {
    c.exec_params("UPDATE scheduled_runs SET started_at = now() WHERE job = $1", {job.name});
    obs::log_info("scheduled job starts", {{"job", job.name}});
    std::optional<std::string> error;
    try {
      job.run();
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (error && stop_requested()) {
      obs::log_warn("scheduled job ended by the stop; it runs again at the next start",
                    {{"job", job.name}, {"error", *error}});
      return;
    }
    c.exec_params("UPDATE scheduled_runs SET last_slot = " + kAsTimestamp +
                      ", finished_at = now(), error = $3 WHERE job = $1",
                  {job.name, micros_text(slot), error});
    if (error) {
      obs::log_error("scheduled job failed", {{"job", job.name}, {"error", *error}});
    } else {
      obs::log_info("scheduled job finished", {{"job", job.name}});
    }
  }

  // Runs the job's slot if this instance gets its lock and the slot is still not done.
  bool run_if_first(pg::BlockingConnection& c, const DailyJob& job, Timestamp slot) {
    if (!query_flag(c, std::string("SELECT pg_try_advisory_lock(") + kLockKey + ")", job.name)) {
      return false;  // another instance runs it
    }
    bool ran = false;
    try {
      const auto slots = last_slots(c);
      const auto last = slots.find(job.name);
      if (last == slots.end() || last->second < slot) {
        run_job(job, slot, c);
        ran = true;
      }
    } catch (...) {
      if (c.is_ok()) unlock(c, job.name);
      throw;
    }
    unlock(c, job.name);
    return ran;
  }

  bool stop_requested() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  // The next due job whose turn it is, in the order of their slots; nullptr when none.
  const DailyJob* next_runnable(pg::BlockingConnection& c, const std::vector<std::string>& skip) {
    const auto slots = last_slots(c);
    const Timestamp now = options.clock();
    std::vector<const DailyJob*> due;
    for (const auto& job : jobs) {
      const auto last = slots.find(job.name);
      if (std::find(skip.begin(), skip.end(), job.name) != skip.end()) continue;
      if (last == slots.end() || is_due(now, job.time_of_day, last->second)) due.push_back(&job);
    }
    std::sort(due.begin(), due.end(), [now](const DailyJob* a, const DailyJob* b) {
      return latest_slot(now, a->time_of_day) < latest_slot(now, b->time_of_day);
    });
    for (const DailyJob* job : due) {
      if (!waits(c, *job, slots)) return job;
    }
    return nullptr;
  }

  std::vector<std::string> pass() {
    std::lock_guard lock(pass_mutex);
    if (jobs.empty()) return {};
    auto& c = connect();
    if (!seeded) seed(c);
    std::vector<std::string> ran;
    std::vector<std::string> tried;
    while (!stop_requested()) {
      // A job is tried once per pass (its lock may be held elsewhere).
      const DailyJob* job = next_runnable(c, tried);
      if (job == nullptr) break;
      tried.push_back(job->name);
      if (run_if_first(c, *job, latest_slot(options.clock(), job->time_of_day))) {
        ran.push_back(job->name);
      }
    }
    return ran;
  }

  std::chrono::milliseconds sleep_time() const {
    auto sleep = options.poll_interval;
    const Timestamp now = options.clock();
    for (const auto& job : jobs) {
      const auto until = next_slot(now, job.time_of_day) - now;
      sleep = std::min(sleep, std::chrono::ceil<std::chrono::milliseconds>(until));
    }
    return sleep;
  }

  void loop() {
    bool failing = false;
    std::unique_lock lock(mutex);
    while (!stopping) {
      lock.unlock();
      try {
        pass();
        if (failing) obs::log_info("scheduler works again");
        failing = false;
      } catch (const std::exception& e) {
        if (!failing) obs::log_warn("scheduler pass failed", {{"error", e.what()}});
        failing = true;
        connection.reset();
      }
      lock.lock();
      wake.wait_for(lock, sleep_time(), [this] { return stopping; });
    }
  }
};

Scheduler::Scheduler(SchedulerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::add(DailyJob job) {
  assert(!impl_->thread.joinable());
  assert(job.run && impl_->find(job.name) == nullptr);
  impl_->jobs.push_back(std::move(job));
}

void Scheduler::start() {
  assert(!impl_->thread.joinable());
  impl_->thread = std::thread([this] { impl_->loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

bool Scheduler::stop_requested() const {
  return impl_->stop_requested();
}

std::vector<std::string> Scheduler::run_due_jobs() {
  return impl_->pass();
}

}  // namespace utxoiq::ops
