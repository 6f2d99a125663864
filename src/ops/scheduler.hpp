#pragma once
// The service's daily jobs (backups at 01:00 UTC, retention at 02:00 UTC), run on a thread of the
// scheduler's own, never on the event loop: the jobs are blocking.
//
// Rules, and why:
//  - Exactly one instance runs a job's slot: the run holds a PostgreSQL session advisory lock per
//    job (pg_try_advisory_lock), and under it re-reads the job's last slot from `scheduled_runs`,
//    so an instance that takes the lock after another finished sees the slot done and skips it.
//  - A slot missed while every instance was down runs at the next start: `scheduled_runs`
//    remembers the last slot run per job (daily_schedule.hpp says when a job is due). A job seen
//    for the first time counts its latest slot as done: a fresh deployment waits for the next one.
//  - The slot is recorded as run when the job returns or throws (a failure is the job's to report
//    and alert on; it is retried at the next slot); a process that dies mid-job, or a job that
//    throws after stop() was called (it ended early on stop_requested()), leaves the slot
//    unrecorded, so the job runs again at the next start and must finish or redo what it began.
//  - Ordering: a job's `after` names jobs that must finish first. While one of them is due (in
//    any instance's eyes) or running (its lock is held anywhere), the job waits and is polled
//    again; so backups (01:00) end before retention (02:00) starts even when backups run late.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ops/daily_schedule.hpp"
#include "util/live_url.hpp"
#include "util/time.hpp"

namespace utxoiq::ops {

struct DailyJob {
  std::string name;         // key of scheduled_runs and of the advisory lock
  TimeOfDay time_of_day{};  // UTC
  // Jobs that must finish first; a name no job of this scheduler has is ignored (so retention can
  // name "backup" whether or not the backup job is registered).
  std::vector<std::string> after;
  std::function<void()> run;  // blocking; throws on failure
};

struct SchedulerOptions {
  util::LiveUrl database_url;
  // How often a waiting job (lock held elsewhere, an `after` job not done) is looked at again,
  // and the longest sleep between passes.
  std::chrono::milliseconds poll_interval{std::chrono::seconds{30}};
  std::function<Timestamp()> clock = now_utc;  // tests move time
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerOptions options);
  ~Scheduler();  // stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Before start() only.
  void add(DailyJob job);
  // Starts the thread; its first pass runs at once (missed slots).
  void start();
  // Wakes the thread and joins it, after the job in progress (if any) has returned.
  void stop();
  // True once stop() was called: a long job may poll it to end early (and finish at the next
  // start, as after a crash).
  bool stop_requested() const;

  // One pass on the calling thread: runs every due job whose turn it is. Returns the names of
  // the jobs this call ran. Used by the thread, and by tests to step without it.
  std::vector<std::string> run_due_jobs();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace utxoiq::ops
